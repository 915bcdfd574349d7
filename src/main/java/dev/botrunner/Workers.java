package dev.botrunner;

import io.smallrye.mutiny.Uni;

/** Runs blocking handler code so that it can never stall an event loop. */
final class Workers {

  private Workers() {}

  static Uni<Void> blocking(Handler handler, BotContext ctx) {
    // Off an event loop (a worker, a virtual thread: BOT_MIDDLEWARE_THREAD=worker, or a handler
    // after another) the handler may block where it is; on a loop it moves to the executor of
    // blocking code (BOT_BLOCKING_THREADS), which runs as many at once as there are slots.
    return ctx.runBlocking(
        () ->
            ctx.inUpdateScope(
                () -> {
                  try {
                    UpdateMdc.with(ctx, () -> handler.handle(ctx));
                  } catch (RuntimeException e) {
                    throw e;
                  } catch (Exception e) {
                    throw new HandlerException(e);
                  }
                  return null;
                }));
  }
}
