package dev.botrunner;

import io.smallrye.mutiny.Uni;

/**
 * One step of the bot's logic: do something with the update, then either finish or call {@code
 * next} to pass the update on, as in grammY. Must not block: blocking code belongs in a {@link
 * Handler}, which runs on a worker thread.
 */
@FunctionalInterface
public interface Middleware {

  /**
   * @param ctx the update and its helpers
   * @param next the rest of the chain
   * @return completion of this step (and of {@code next}, if it was called)
   */
  Uni<Void> handle(BotContext ctx, Next next);
}
