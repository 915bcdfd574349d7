package dev.botrunner.internal.client;

import dev.botrunner.TelegramApiException;
import dev.botrunner.TelegramTransportException;
import dev.botrunner.internal.propagation.OwnPipeline;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Retries outbound calls the way Telegram asks, with two separate limits:
 *
 * <ul>
 *   <li>A 429 (flood control) waits its {@code retry_after} and tries again, as often as it takes,
 *       until a <em>time budget</em> counted from the first attempt would be exceeded. A 429 means
 *       Telegram did not carry out the call and says when to come back, so waiting is safe and a
 *       retry cannot duplicate a message; a count would drop replies under sustained flood control.
 *   <li>A 5xx or a lost connection backs off exponentially with jitter, at most {@code maxRetries}
 *       times: the call may have been carried out before the answer was lost, so each retry risks a
 *       duplicate and their number is kept small.
 * </ul>
 *
 * A client error (400, 403, ...) is final. A single {@code retry_after} longer than {@code
 * maxDelay} fails at once, so a handler is not parked for one very long wait.
 */
public final class RetryPolicy {

  private static final Logger LOG = Logger.getLogger(RetryPolicy.class);

  /** First backoff delay after a 5xx or a lost connection; doubles per retry. */
  private static final Duration FIRST_DELAY = Duration.ofMillis(200);

  /** The wait assumed when a 429 carries no {@code retry_after}. */
  private static final int RETRY_AFTER_IF_MISSING_SECONDS = 1;

  /**
   * Default flood budget: Telegram's waits under sustained flood control are up to about a minute
   * each (a group's 20 messages per minute), so five minutes lets a reply outlast several of them.
   */
  public static final Duration DEFAULT_FLOOD_BUDGET = Duration.ofMinutes(5);

  private final int maxRetries;
  private final Duration maxDelay;
  private final long floodBudgetNanos;
  private final LongSupplier clock;
  private final Throttle.Scheduler timer;
  private final LongAdder retries = new LongAdder();
  private final LongAdder floodWaits = new LongAdder();

  /**
   * A policy with the default flood budget.
   *
   * @param maxRetries retries after a 5xx or a lost connection; 0 disables them
   * @param maxDelay the longest wait before a retry, and the largest acceptable retry_after
   */
  public RetryPolicy(int maxRetries, Duration maxDelay) {
    this(maxRetries, maxDelay, DEFAULT_FLOOD_BUDGET);
  }

  /**
   * A policy on the system clock, waiting on Mutiny's worker pool.
   *
   * @param maxRetries retries after a 5xx or a lost connection; 0 disables them
   * @param maxDelay the longest wait before a retry, and the largest acceptable retry_after
   * @param floodBudget how long after its first attempt a call may still be retried after a 429; 0
   *     disables retrying a 429
   */
  public RetryPolicy(int maxRetries, Duration maxDelay, Duration floodBudget) {
    this(
        maxRetries,
        maxDelay,
        floodBudget,
        System::nanoTime,
        (delayNanos, task) ->
            Infrastructure.getDefaultWorkerPool().schedule(task, delayNanos, TimeUnit.NANOSECONDS));
  }

  /**
   * @param maxRetries retries after a 5xx or a lost connection; 0 disables them
   * @param maxDelay the longest wait before a retry, and the largest acceptable retry_after
   * @param floodBudget how long after its first attempt a call may still be retried after a 429; 0
   *     disables retrying a 429
   * @param clock nanosecond clock, as {@link System#nanoTime()}
   * @param timer runs the retries after their delay
   */
  public RetryPolicy(
      int maxRetries,
      Duration maxDelay,
      Duration floodBudget,
      LongSupplier clock,
      Throttle.Scheduler timer) {
    this.maxRetries = maxRetries;
    this.maxDelay = maxDelay;
    this.floodBudgetNanos = floodBudget.toNanos();
    this.clock = clock;
    this.timer = timer;
  }

  /**
   * @return a policy that never retries
   */
  public static RetryPolicy none() {
    return new RetryPolicy(0, Duration.ZERO, Duration.ZERO);
  }

  /**
   * @param call makes one attempt each time it is invoked
   * @param <T> the result type
   * @return the first successful attempt, or the failure that ended the retries
   */
  public <T> Uni<T> run(Supplier<Uni<T>> call) {
    // The budget starts when the call is subscribed, not when the Uni is built.
    return OwnPipeline.deferFuture(() -> start(() -> OwnPipeline.toFuture(call.get())));
  }

  /**
   * Starts the first attempt now: {@link #run} as a future, for botrunner's own per-update path.
   * Cancelling the future stops the retries (an attempt under way is cancelled too).
   *
   * @param call makes one attempt each time it is invoked
   * @param <T> the result type
   * @return the first successful attempt, or the failure that ended the retries
   */
  public <T> CompletableFuture<T> start(Supplier<? extends CompletableFuture<T>> call) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Attempts state = new Attempts(clock.getAsLong(), new Backoff(FIRST_DELAY, maxDelay));
    result.whenComplete(
        (ignored, failure) -> {
          CompletableFuture<?> current = state.current;
          if (result.isCancelled() && current != null) {
            current.cancel(false);
          }
        });
    attempt(call, state, result);
    return result;
  }

  /** One call's retry state. */
  private static final class Attempts {
    final long startNanos;
    final Backoff backoff;
    int transientRetries;

    /** The attempt under way, cancelled with the call. */
    volatile CompletableFuture<?> current;

    Attempts(long startNanos, Backoff backoff) {
      this.startNanos = startNanos;
      this.backoff = backoff;
    }
  }

  private <T> void attempt(
      Supplier<? extends CompletableFuture<T>> call, Attempts state, CompletableFuture<T> result) {
    if (result.isDone()) {
      return; // cancelled while waiting for its delay
    }
    CompletableFuture<T> attempt;
    try {
      attempt = call.get();
    } catch (RuntimeException e) {
      attempt = CompletableFuture.failedFuture(e);
    }
    state.current = attempt;
    attempt.whenComplete(
        (item, failed) -> {
          if (failed == null) {
            result.complete(item);
            return;
          }
          Throwable failure = OwnPipeline.unwrap(failed);
          Duration delay;
          try {
            delay = delayBefore(failure, state);
          } catch (TelegramApiException giveUp) {
            result.completeExceptionally(giveUp);
            return;
          }
          if (delay == null) {
            result.completeExceptionally(failure);
            return;
          }
          retries.increment();
          LOG.debugf("retrying in %d ms after: %s", delay.toMillis(), failure.getMessage());
          if (delay.isZero() || delay.isNegative()) {
            attempt(call, state, result);
          } else {
            timer.schedule(delay.toNanos(), () -> attempt(call, state, result));
          }
        });
  }

  /**
   * Returns the wait before the next attempt, or null when the failure is final; throws the failure
   * to report instead when a 429 asks for a wait above the cap or beyond the budget.
   */
  private Duration delayBefore(Throwable failure, Attempts state) {
    if (failure instanceof TelegramApiException api && api.errorCode() == 429) {
      floodWaits.increment();
      return floodDelay(api, state);
    }
    boolean transientFailure =
        failure instanceof TelegramTransportException
            || (failure instanceof TelegramApiException api && api.errorCode() >= 500);
    if (!transientFailure || state.transientRetries >= maxRetries) {
      return null;
    }
    state.transientRetries++;
    return state.backoff.next();
  }

  private Duration floodDelay(TelegramApiException api, Attempts state) {
    if (floodBudgetNanos <= 0) {
      return null;
    }
    int seconds =
        api.retryAfter() == null
            ? RETRY_AFTER_IF_MISSING_SECONDS
            : Math.max(0, api.retryAfter().intValue());
    Duration wait = Duration.ofSeconds(seconds);
    if (wait.compareTo(maxDelay) > 0) {
      throw giveUp(
          api,
          "retry_after "
              + seconds
              + " s exceeds BOT_API_MAX_DELAY ("
              + maxDelay.toSeconds()
              + " s), not retried");
    }
    long elapsed = clock.getAsLong() - state.startNanos;
    if (elapsed + wait.toNanos() > floodBudgetNanos) {
      throw giveUp(
          api,
          "flood control outlasts BOT_API_FLOOD_BUDGET ("
              + Duration.ofNanos(floodBudgetNanos).toSeconds()
              + " s): retried for "
              + TimeUnit.NANOSECONDS.toSeconds(elapsed)
              + " s, retry_after "
              + seconds
              + " s, not retried");
    }
    return wait;
  }

  private static TelegramApiException giveUp(TelegramApiException api, String why) {
    return new TelegramApiException(
        api.method(), 429, api.description() + "; " + why, api.retryAfter(), api.migrateToChatId());
  }

  /**
   * @return retries made so far
   */
  public long retryCount() {
    return retries.sum();
  }

  /**
   * @return 429 answers seen so far
   */
  public long floodWaitCount() {
    return floodWaits.sum();
  }
}
