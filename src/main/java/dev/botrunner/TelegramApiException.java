package dev.botrunner;

/**
 * Telegram answered a Bot API call with {@code ok:false}. Distinct from {@link
 * TelegramTransportException}, where no answer arrived at all. Carries what callers decide on: the
 * error code, {@code retry_after} for flood control and {@code migrate_to_chat_id} for groups that
 * became supergroups.
 */
public final class TelegramApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String method;
  private final int errorCode;
  private final String description;
  private final Integer retryAfter;
  private final Long migrateToChatId;

  /**
   * @param method the Bot API method name, e.g. {@code sendMessage}
   * @param errorCode Telegram's {@code error_code} (the HTTP status when none was given)
   * @param description Telegram's {@code description}
   * @param retryAfter seconds to wait before retrying (429), or null
   * @param migrateToChatId the supergroup id a group moved to, or null
   */
  public TelegramApiException(
      String method, int errorCode, String description, Integer retryAfter, Long migrateToChatId) {
    super(
        "Telegram answered "
            + method
            + " with "
            + errorCode
            + ": "
            + description
            + (retryAfter != null ? " (retry after " + retryAfter + " s)" : "")
            + (migrateToChatId != null ? " (migrated to chat " + migrateToChatId + ")" : ""));
    this.method = method;
    this.errorCode = errorCode;
    this.description = description;
    this.retryAfter = retryAfter;
    this.migrateToChatId = migrateToChatId;
  }

  /**
   * @return the Bot API method that failed
   */
  public String method() {
    return method;
  }

  /**
   * @return Telegram's error code, e.g. 400, 401, 403, 409, 429
   */
  public int errorCode() {
    return errorCode;
  }

  /**
   * @return Telegram's description of the error
   */
  public String description() {
    return description;
  }

  /**
   * @return seconds Telegram asks to wait, or null
   */
  public Integer retryAfter() {
    return retryAfter;
  }

  /**
   * @return the new chat id of a migrated group, or null
   */
  public Long migrateToChatId() {
    return migrateToChatId;
  }
}
