package dev.botrunner.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One request the fake received, recorded the moment it arrived (before any scripted delay or long
 * poll), whatever it was then answered.
 *
 * @param sequence arrival order across all methods, starting at 1; never reused, even after {@link
 *     FakeBotApi#reset()}
 * @param method the Bot API method name as the client spelled it (Telegram treats it
 *     case-insensitively, and so does the fake)
 * @param httpMethod {@code GET} or {@code POST}
 * @param path the raw request path, {@code /bot<token>/<method>}, so a test can check which token
 *     the client used
 * @param params every parameter, from the query string and the JSON or urlencoded body; form and
 *     query values are text nodes
 * @param rawBody the body exactly as received, read as UTF-8 (for multipart, see {@link #files})
 * @param arrivalNanos {@link System#nanoTime()} at arrival
 * @param files the file parts of a {@code multipart/form-data} request, in body order; its text
 *     parts are in {@code params}
 */
public record RecordedCall(
    long sequence,
    String method,
    String httpMethod,
    String path,
    JsonNode params,
    String rawBody,
    long arrivalNanos,
    List<UploadedFile> files) {

  /** A call without file parts (the shape before multipart was parsed). */
  public RecordedCall(
      long sequence,
      String method,
      String httpMethod,
      String path,
      JsonNode params,
      String rawBody,
      long arrivalNanos) {
    this(sequence, method, httpMethod, path, params, rawBody, arrivalNanos, List.of());
  }

  /**
   * Returns the file part uploaded under {@code name}.
   *
   * @param name the form field name, e.g. {@code photo}
   * @return the part, or {@code null} if there is none
   */
  public UploadedFile file(String name) {
    return files.stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
  }

  private static final Pattern TOKEN_IN_PATH = Pattern.compile("^/bot([^/]*)/");

  /**
   * Returns the token the client put in the path, or {@code null} if the path had none.
   *
   * @return the token segment of {@link #path()}
   */
  public String token() {
    Matcher m = TOKEN_IN_PATH.matcher(path);
    return m.find() ? m.group(1) : null;
  }

  /**
   * Returns a parameter as text ({@code null} if absent), whether it came as JSON or form value.
   *
   * @param name the parameter name, e.g. {@code chat_id}
   * @return the value's text; objects and arrays come back as their JSON
   */
  public String param(String name) {
    JsonNode node = params.get(name);
    if (node == null || node.isNull()) {
      return null;
    }
    return node.isValueNode() ? node.asText() : node.toString();
  }

  /**
   * Tells whether this call was for {@code name}, ignoring case as Telegram does.
   *
   * @param name a Bot API method name
   * @return true when this call invoked that method
   */
  public boolean isMethod(String name) {
    return method.equalsIgnoreCase(name);
  }

  // Assertion messages print records; the token must not end up in build logs.
  @Override
  public String toString() {
    return "RecordedCall[#"
        + sequence
        + " "
        + httpMethod
        + " "
        + TOKEN_IN_PATH.matcher(path).replaceFirst("/bot<redacted>/")
        + " "
        + params
        + (files.isEmpty() ? "" : " " + files)
        + "]";
  }
}
