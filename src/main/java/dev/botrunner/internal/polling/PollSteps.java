package dev.botrunner.internal.polling;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import java.util.concurrent.atomic.AtomicReference;
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

  /**
   * The step in flight. Set before the step is subscribed and cleared only by that same step, so a
   * step that completes during {@code subscribe()} (and may already have started the next one)
   * cannot leave its own, finished handle behind.
   */
  private final AtomicReference<Step> inFlight = new AtomicReference<>();

  /** One step's handle: cancellable before, during and after its subscription. */
  private static final class Step {
    private volatile Cancellable upstream;
    private volatile boolean cancelled;

    void attach(Cancellable subscription) {
      upstream = subscription;
      if (cancelled) {
        subscription.cancel(); // cancel() ran while subscribe() was still in progress
      }
    }

    void cancel() {
      cancelled = true;
      Cancellable subscription = upstream;
      if (subscription != null) {
        subscription.cancel();
      }
    }
  }

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
    Step handle = new Step();
    inFlight.set(handle);
    handle.attach(
        step.subscribe()
            .with(
                item -> {
                  inFlight.compareAndSet(handle, null);
                  if (handle.cancelled) {
                    return;
                  }
                  try {
                    then.accept(item);
                  } catch (RuntimeException e) {
                    LOG.error("the polling loop hit an unexpected error", e);
                    onFailure.accept(e);
                  }
                },
                failure -> {
                  inFlight.compareAndSet(handle, null);
                  if (!handle.cancelled) {
                    onFailure.accept(failure);
                  }
                }));
  }

  /**
   * @return whether a step is in flight
   */
  boolean busy() {
    return inFlight.get() != null;
  }

  /** Cancels the step in flight, if any: its continuation does not run. */
  void cancel() {
    Step step = inFlight.get();
    if (step != null) {
      step.cancel();
    }
  }
}
