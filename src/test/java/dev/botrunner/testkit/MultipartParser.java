package dev.botrunner.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code multipart/form-data} body (RFC 7578): text parts become parameters, parts with a
 * {@code filename} become {@link UploadedFile}s. Strict enough to catch a malformed client.
 */
final class MultipartParser {

  private static final Pattern BOUNDARY =
      Pattern.compile("boundary=(?:\"([^\"]+)\"|([^;\\s]+))", Pattern.CASE_INSENSITIVE);
  private static final Pattern NAME = Pattern.compile("(?:^|;)\\s*name=\"([^\"]*)\"");
  private static final Pattern FILENAME = Pattern.compile(";\\s*filename=\"([^\"]*)\"");

  private MultipartParser() {}

  /** Fills {@code params} and {@code files}; returns an error text or null. */
  static String parse(
      String contentType, byte[] body, ObjectNode params, List<UploadedFile> files) {
    Matcher b = BOUNDARY.matcher(contentType);
    if (!b.find()) {
      return "multipart body without boundary";
    }
    byte[] delimiter =
        ("--" + (b.group(1) != null ? b.group(1) : b.group(2))).getBytes(StandardCharsets.UTF_8);
    int pos = indexOf(body, delimiter, 0);
    if (pos < 0) {
      return "multipart boundary not found in the body";
    }
    while (true) {
      int after = pos + delimiter.length;
      if (after + 1 < body.length && body[after] == '-' && body[after + 1] == '-') {
        return null; // closing delimiter
      }
      if (after + 1 >= body.length || body[after] != '\r' || body[after + 1] != '\n') {
        return "malformed multipart delimiter line";
      }
      int headersStart = after + 2;
      int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), headersStart);
      if (headersEnd < 0) {
        return "multipart part without header end";
      }
      int next = indexOf(body, crlf(delimiter), headersEnd + 4);
      if (next < 0) {
        return "multipart body not terminated";
      }
      String headers =
          new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8);
      byte[] content = Arrays.copyOfRange(body, headersEnd + 4, next);
      String disposition = null;
      String type = "application/octet-stream";
      for (String line : headers.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String header = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = line.substring(colon + 1).trim();
        if (header.equals("content-disposition")) {
          disposition = value;
        } else if (header.equals("content-type")) {
          type = value;
        }
      }
      if (disposition == null || !disposition.toLowerCase(Locale.ROOT).startsWith("form-data")) {
        return "multipart part without Content-Disposition: form-data";
      }
      Matcher name = NAME.matcher(disposition.substring("form-data".length()));
      if (!name.find()) {
        return "multipart part without a name";
      }
      Matcher filename = FILENAME.matcher(disposition);
      if (filename.find()) {
        files.add(new UploadedFile(name.group(1), filename.group(1), type, content));
      } else {
        params.put(name.group(1), new String(content, StandardCharsets.UTF_8));
      }
      pos = next + 2;
    }
  }

  private static byte[] crlf(byte[] delimiter) {
    byte[] out = new byte[delimiter.length + 2];
    out[0] = '\r';
    out[1] = '\n';
    System.arraycopy(delimiter, 0, out, 2, delimiter.length);
    return out;
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
