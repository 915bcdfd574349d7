package dev.botrunner.telegram;

import java.util.regex.Pattern;

/**
 * Removes bot tokens from text before it can reach a log line or an exception message. Catches the
 * configured token and anything shaped like one, since a library may quote a URL we did not build.
 */
public final class TokenRedactor {

  private static final Pattern TOKEN_SHAPE = Pattern.compile("\\d{3,20}:[A-Za-z0-9_-]{30,}");
  private static final String MASK = "<redacted>";

  private final String token;

  /**
   * @param token the configured bot token, or null
   */
  public TokenRedactor(String token) {
    this.token = token == null || token.isBlank() ? null : token;
  }

  /**
   * @param text any text, may be null
   * @return the text with every token occurrence replaced by {@code <redacted>}
   */
  public String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = token != null ? text.replace(token, MASK) : text;
    return TOKEN_SHAPE.matcher(out).replaceAll(MASK);
  }

  /**
   * @param failure an exception from a library
   * @return its class name and redacted message, for a message of our own
   */
  public String describe(Throwable failure) {
    String message = failure.getMessage();
    return failure.getClass().getSimpleName() + (message == null ? "" : ": " + redact(message));
  }
}
