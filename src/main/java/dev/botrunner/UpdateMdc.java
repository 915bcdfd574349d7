package dev.botrunner;

import org.jboss.logging.MDC;

/**
 * Puts the update id and chat id into the logging MDC around code that runs for one update, so
 * every line a handler logs can be traced to its update (as {@code %X{update_id}} in text logs, or
 * as fields in JSON logs).
 */
final class UpdateMdc {

  /** MDC key of the update id. */
  public static final String UPDATE_ID = "update_id";

  /** MDC key of the chat id. */
  public static final String CHAT_ID = "chat_id";

  private UpdateMdc() {}

  /** Code that may throw, run with the MDC set. */
  @FunctionalInterface
  public interface Body {
    /**
     * @throws Exception anything; the MDC is restored either way
     */
    void run() throws Exception;
  }

  /**
   * Runs {@code body} with the update's ids in the MDC and restores the previous values after.
   *
   * @param ctx the update's context
   * @param body the code to run
   * @throws Exception what the body threw
   */
  public static void with(BotContext ctx, Body body) throws Exception {
    Object previousUpdate = MDC.get(UPDATE_ID);
    Object previousChat = MDC.get(CHAT_ID);
    MDC.put(UPDATE_ID, Integer.toString(ctx.updateId()));
    Long chatId = ctx.chatId();
    if (chatId != null) {
      MDC.put(CHAT_ID, chatId.toString());
    } else {
      MDC.remove(CHAT_ID);
    }
    try {
      body.run();
    } finally {
      restore(UPDATE_ID, previousUpdate);
      restore(CHAT_ID, previousChat);
    }
  }

  private static void restore(String key, Object previous) {
    if (previous == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, previous);
    }
  }
}
