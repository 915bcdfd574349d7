package dev.botrunner;

/**
 * Receives the failure of an update (grammY's {@code bot.catch}). May run on an event loop: it must
 * not block; {@link BotContext#reply} is fine because it does not block.
 */
@FunctionalInterface
public interface ErrorHandler {

  /**
   * @param error the update's context and its failure
   * @throws Exception a failure of the handler itself; it is logged, never rethrown
   */
  void handle(BotError error) throws Exception;
}
