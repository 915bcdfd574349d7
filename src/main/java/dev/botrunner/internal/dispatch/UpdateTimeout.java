package dev.botrunner.internal.dispatch;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Releases an update's keys once it has run for {@code BOT_UPDATE_TIMEOUT}, so one stuck handler
 * cannot hold its chat forever; the update itself goes on.
 */
final class UpdateTimeout {

  // The dispatcher's category, so log settings made for it still cover its timeouts.
  private static final Logger LOG = Logger.getLogger(Dispatcher.class);

  private final Duration limit;
  private final DispatchCounters counters;
  private final ScheduledThreadPoolExecutor timer;

  /**
   * @param limit how long an update may hold its keys
   * @param counters where a timeout is counted
   */
  UpdateTimeout(Duration limit, DispatchCounters counters) {
    this.limit = limit;
    this.counters = counters;
    this.timer =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread thread = new Thread(task, "botrunner-update-timeout");
              thread.setDaemon(true);
              return thread;
            });
    // Most deadlines are cancelled because the update finished; do not keep them queued.
    timer.setRemoveOnCancelPolicy(true);
  }

  /**
   * Completes {@code outcome} with {@link Outcome#TIMED_OUT} unless the update ends first.
   *
   * @return the deadline, to be cancelled when the update ends
   */
  ScheduledFuture<?> arm(Update update, CompletableFuture<Outcome> outcome) {
    return timer.schedule(
        () -> {
          // Counted before the outcome is published, as done and failed are: whoever sees
          // TIMED_OUT must see it counted. Undone if the update finished first.
          counters.countTimedOut();
          if (!outcome.complete(Outcome.TIMED_OUT)) {
            counters.uncountTimedOut();
          } else {
            LOG.warnf(
                "update %d is still running after %s; its keys are released, it goes on",
                update.getUpdateId(), limit);
          }
        },
        limit.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Stops the timer thread; pending deadlines are dropped. */
  void close() {
    timer.shutdownNow();
  }
}
