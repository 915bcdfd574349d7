package dev.botrunner.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One file part of a {@code multipart/form-data} request, as the fake received it.
 *
 * @param name the form field name ({@code photo}, or the attach name of a media group item)
 * @param filename the {@code filename} of the part's Content-Disposition
 * @param contentType the part's Content-Type, or {@code application/octet-stream} when absent
 * @param bytes the content
 */
public record UploadedFile(String name, String filename, String contentType, byte[] bytes) {

  /**
   * @return the content read as UTF-8 text
   */
  public String text() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UploadedFile f
        && name.equals(f.name)
        && filename.equals(f.filename)
        && contentType.equals(f.contentType)
        && Arrays.equals(bytes, f.bytes);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "UploadedFile["
        + name
        + ", "
        + filename
        + ", "
        + contentType
        + ", "
        + bytes.length
        + " bytes]";
  }
}
