package dev.botrunner.internal.dispatch;

import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Observes each update's way through the {@link Dispatcher}: submitted, started (it got its turn
 * for all its keys and a slot), ended. Used for metrics; called on whatever thread the event
 * happens on, so implementations must be cheap and thread-safe and must not throw.
 */
public interface DispatchListener {

  /** Does nothing. */
  DispatchListener NONE = new DispatchListener() {};

  /**
   * @param update an update accepted by the dispatcher
   */
  default void submitted(Update update) {}

  /**
   * @param update the update
   * @param waitedNanos time between submission and start (waiting for its keys or a slot)
   */
  default void started(Update update, long waitedNanos) {}

  /**
   * @param update the update
   * @param outcome how it ended; {@link Outcome#TIMED_OUT} is reported when the deadline passed,
   *     and the late end is not reported again
   * @param runNanos time between start and end
   */
  default void ended(Update update, Outcome outcome, long runNanos) {}
}
