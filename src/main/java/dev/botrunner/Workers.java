package dev.botrunner;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;

/** Runs blocking handler code so that it can never stall an event loop. */
final class Workers {

  private Workers() {}

  static Uni<Void> blocking(Handler handler, BotContext ctx) {
    Uni<Void> call =
        Uni.createFrom()
            .item(
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
    // Off an event loop (a worker, a virtual thread: BOT_MIDDLEWARE_THREAD=worker, or a handler
    // after another) the handler may block where it is; on a loop it moves to the executor of
    // blocking code (BOT_BLOCKING_THREADS), which runs as many at once as there are slots.
    return Context.isOnEventLoopThread() ? call.runSubscriptionOn(ctx.blockingExecutor()) : call;
  }
}
