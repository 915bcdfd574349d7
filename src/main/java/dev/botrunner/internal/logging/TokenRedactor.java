package dev.botrunner.internal.logging;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes bot tokens from text before it can reach a log line, an exception message or a health
 * detail. Catches the configured token, its secret part alone (some bots put only that in their
 * webhook path), and anything shaped like a token, since a library may quote a URL we did not
 * build. {@link #redactUrl} also masks the other secrets a configured URL may carry.
 */
public final class TokenRedactor {

  /**
   * {@code <bot id>:<secret>}, also with the colon percent-encoded ({@code %3A}), as a URL quoted
   * by a library or a proxy may carry it; the secret's characters are never encoded.
   */
  private static final Pattern TOKEN_SHAPE =
      Pattern.compile("\\d{3,20}(?::|%3[Aa])[A-Za-z0-9_-]{30,}");

  private static final String MASK = "<redacted>";

  /**
   * Shorter secret parts are not masked on their own: they could match ordinary words. Real ones
   * are 35 characters, and validation requires at least 30.
   */
  private static final int MIN_SECRET_LENGTH = 20;

  /** The password of {@code scheme://user:password@host}. */
  private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(//[^/@:\\s]*:)[^/@\\s]+@");

  /** The value of a query parameter that names a secret ({@code ?password=...}). */
  private static final Pattern SECRET_PARAMETER =
      Pattern.compile("(?i)([?&;](?:password|passwd|pwd|secret|token|api[_-]?key|key)=)[^&#\\s]*");

  private final String token;
  private final String secret;

  /**
   * @param token the configured bot token, or null
   */
  public TokenRedactor(String token) {
    this.token = token == null || token.isBlank() ? null : token.trim();
    int colon = this.token == null ? -1 : this.token.indexOf(':');
    String part = colon < 0 ? null : this.token.substring(colon + 1);
    this.secret = part != null && part.length() >= MIN_SECRET_LENGTH ? part : null;
  }

  /**
   * @param text any text, may be null
   * @return the text with every token occurrence (the configured one, its secret part, anything
   *     token-shaped, percent-encoded or not) replaced by {@code <redacted>}
   */
  public String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    if (token != null) {
      out = out.replace(token, MASK);
    }
    // Whole tokens before the secret alone, so that an encoded one loses its bot id too.
    out = TOKEN_SHAPE.matcher(out).replaceAll(MASK);
    return secret == null ? out : out.replace(secret, MASK);
  }

  /**
   * For a configured URL ({@code BOT_API_URL}, {@code BOT_WEBHOOK_URL}, a datasource URL), or text
   * that may quote one: masks the token as {@link #redact} does, the password of {@code
   * user:password@}, and the values of query parameters such as {@code password=} or {@code
   * token=}.
   *
   * @param text a URL or any text, may be null
   * @return the text without those secrets
   */
  public String redactUrl(String text) {
    if (text == null) {
      return null;
    }
    String out = redact(text);
    out = USER_INFO_PASSWORD.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(MASK) + "@");
    return SECRET_PARAMETER.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(MASK));
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
