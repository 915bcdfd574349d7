package dev.botrunner;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
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
    // Updates start on a worker, but a reactive middleware may resume on an event loop (e.g. after
    // an HTTP call); only then is a hop to the worker pool needed.
    return Context.isOnEventLoopThread()
        ? call.runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        : call;
  }
}
