package dev.botrunner.update;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Runs the polling loop's asynchronous steps (a request, a pause, a save) one at a time, keeps the
 * one in flight so that stopping can cancel it, and routes every failure, including a bug in the
 * step's continuation, to one handler, so that the loop outlives anything downstream of it.
 */
final class PollSteps {

  /** The polling loop's category, so that one log setting covers the whole loop. */
  private static final Logger LOG = Logger.getLogger(LongPoller.class);

  private final Consumer<Throwable> onFailure;
  private volatile Cancellable inFlight;

  /**
   * @param onFailure receives what a step, or its continuation, failed with
   */
  PollSteps(Consumer<Throwable> onFailure) {
    this.onFailure = onFailure;
  }

  /**
   * @param step the step
   * @param then the continuation, given the step's result
   * @param <T> the result type
   */
  <T> void run(Uni<T> step, Consumer<T> then) {
    inFlight =
        step.subscribe()
            .with(
                item -> {
                  inFlight = null;
                  try {
                    then.accept(item);
                  } catch (RuntimeException e) {
                    LOG.error("the polling loop hit an unexpected error", e);
                    onFailure.accept(e);
                  }
                },
                failure -> {
                  inFlight = null;
                  onFailure.accept(failure);
                });
  }

  /**
   * @return whether a step is in flight
   */
  boolean busy() {
    return inFlight != null;
  }

  /** Cancels the step in flight, if any: its continuation does not run. */
  void cancel() {
    Cancellable step = inFlight;
    if (step != null) {
      step.cancel();
    }
  }
}
