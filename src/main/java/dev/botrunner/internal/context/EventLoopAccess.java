package dev.botrunner.internal.context;

import dev.botrunner.BotContext;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * How an update's reactive code reaches a Vert.x event loop ({@link BotContext#onEventLoop}).
 * Libraries such as Hibernate Reactive (and Panache) run only on an event loop, inside a Vert.x
 * duplicated context that Quarkus has marked safe, and keep their session in that context. Each
 * update gets a context of its own, so one update's session is never another's.
 */
public final class EventLoopAccess {

  private final Vertx vertx;
  private final Executor resumeOn;

  /**
   * @param vertx the Vert.x instance whose event loops run the code
   * @param resumeOn where the middleware goes on once the code has finished: the worker pool when
   *     middleware may block, or {@code null} to stay on the event loop
   */
  public EventLoopAccess(Vertx vertx, Executor resumeOn) {
    this.vertx = vertx;
    this.resumeOn = resumeOn;
  }

  /** A new safe duplicated context, on the calling event loop or the next one. */
  Context newUpdateContext() {
    Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
    VertxContextSafetyToggle.setContextSafe(context, true);
    return context;
  }

  /** Subscribes to {@code work} on {@code context}, inline when already there. */
  <T> Uni<T> run(Context context, Supplier<Uni<T>> work) {
    Uni<T> onLoop =
        Uni.createFrom()
            .emitter(
                emitter -> {
                  Runnable start =
                      () -> {
                        Uni<T> uni;
                        try {
                          uni = work.get();
                        } catch (RuntimeException e) {
                          emitter.fail(e);
                          return;
                        }
                        uni.subscribe().with(emitter::complete, emitter::fail);
                      };
                  if (Vertx.currentContext() == context) {
                    start.run();
                  } else {
                    context.runOnContext(ignored -> start.run());
                  }
                });
    return resumeOn == null ? onLoop : onLoop.emitOn(resumeOn);
  }
}
