package dev.botrunner.internal.config;

/**
 * A bot's numeric id: the part of its token before the colon, which is also the bot's Telegram user
 * id. It scopes everything a bot keeps in a shared database (sessions, processed and pending
 * updates, the poller lock), so several bots can use one database and one schema. It never holds
 * the token's secret part, so it may be logged.
 *
 * @param value the id, positive
 */
public record BotId(long value) {

  /**
   * Owner of the rows written before state was kept per bot; the first bot to start on the migrated
   * database claims them. No real bot has this id.
   */
  public static final long UNCLAIMED = 0;

  /**
   * @param value the id, positive
   */
  public BotId {
    if (value <= 0) {
      throw new IllegalArgumentException("a bot id is a positive number, got " + value);
    }
  }

  /**
   * Reads the id from a token of the form {@code <digits>:<secret>}. Messages name neither the
   * token nor its secret.
   *
   * @param token the bot token from @BotFather
   * @return the digits before the colon
   * @throws IllegalArgumentException when there is no positive 64-bit number before a colon
   */
  public static BotId ofToken(String token) {
    String trimmed = token == null ? "" : token.trim();
    int colon = trimmed.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(
          "BOT_TOKEN has no bot id: expected <digits>:<secret> (the value is not shown here)");
    }
    long id;
    try {
      id = parseDigits(trimmed.substring(0, colon));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "BOT_TOKEN's bot id (the digits before ':') is not a positive number below 2^63"
              + " (the value is not shown here)");
    }
    if (id <= 0) {
      throw new IllegalArgumentException(
          "BOT_TOKEN's bot id (the digits before ':') must not be 0 (the value is not shown here)");
    }
    return new BotId(id);
  }

  /**
   * @param token a bot token, possibly malformed
   * @return whether {@link #ofToken} accepts it
   */
  public static boolean validToken(String token) {
    try {
      ofToken(token);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  // Digits only: Long.parseLong would also take a sign, which no token has.
  private static long parseDigits(String digits) {
    if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new NumberFormatException();
    }
    return Long.parseLong(digits);
  }

  /** The digits, as they appear before the colon of the token (never the secret). */
  @Override
  public String toString() {
    return Long.toString(value);
  }
}
