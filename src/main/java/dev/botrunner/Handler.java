package dev.botrunner;

/**
 * Plain-Java bot logic that may block (JDBC, HTTP clients, sleeps): always run on a worker thread,
 * never on an event loop. A handler ends the chain for the update it handles. Calls such as {@link
 * BotContext#reply} start at once and the update is not finished until they are.
 */
@FunctionalInterface
public interface Handler {

  /**
   * @param ctx the update and its helpers
   * @throws Exception any failure; it goes to the error boundary or the bot's error handler
   */
  void handle(BotContext ctx) throws Exception;
}
