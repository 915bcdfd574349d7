package dev.botrunner.telegram;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Retries outbound calls the way Telegram asks: a 429 waits its {@code retry_after}, a 5xx or a
 * lost connection backs off exponentially with jitter; a client error (400, 403, ...) is final. A
 * {@code retry_after} longer than the cap fails at once, so a handler is not parked for minutes.
 */
public final class RetryPolicy {

  private static final Logger LOG = Logger.getLogger(RetryPolicy.class);
  private static final Duration FIRST_DELAY = Duration.ofMillis(200);

  private final int maxRetries;
  private final Duration maxDelay;
  private final LongAdder retries = new LongAdder();
  private final LongAdder floodWaits = new LongAdder();

  /**
   * @param maxRetries retries after the first attempt; 0 disables retrying
   * @param maxDelay the longest wait before a retry, and the largest acceptable retry_after
   */
  public RetryPolicy(int maxRetries, Duration maxDelay) {
    this.maxRetries = maxRetries;
    this.maxDelay = maxDelay;
  }

  /**
   * @param call makes one attempt each time it is invoked
   * @param <T> the result type
   * @return the first successful attempt, or the last failure
   */
  public <T> Uni<T> run(Supplier<Uni<T>> call) {
    return attempt(call, new Backoff(FIRST_DELAY, maxDelay), 0);
  }

  private <T> Uni<T> attempt(Supplier<Uni<T>> call, Backoff backoff, int retried) {
    return Uni.createFrom()
        .deferred(call::get)
        .onFailure()
        .recoverWithUni(
            failure -> {
              if (maxRetries == 0) {
                return Uni.createFrom().failure(failure);
              }
              Duration delay;
              try {
                delay = delayBefore(failure, backoff, retried);
              } catch (TelegramApiException tooLong) {
                return Uni.createFrom().failure(tooLong);
              }
              if (delay == null) {
                return Uni.createFrom().failure(failure);
              }
              retries.increment();
              LOG.debugf("retrying in %d ms after: %s", delay.toMillis(), failure.getMessage());
              if (delay.isZero() || delay.isNegative()) { // retry_after 0: Mutiny refuses a 0 delay
                return attempt(call, backoff, retried + 1);
              }
              return Uni.createFrom()
                  .voidItem()
                  .onItem()
                  .delayIt()
                  .by(delay)
                  .chain(() -> attempt(call, backoff, retried + 1));
            });
  }

  /**
   * Returns the wait before the next attempt, or null when the failure is final; throws the failure
   * to report instead when Telegram asks for a wait above the cap.
   */
  private Duration delayBefore(Throwable failure, Backoff backoff, int retried) {
    if (failure instanceof TelegramApiException api && api.errorCode() == 429) {
      floodWaits.increment();
      int seconds = api.retryAfter() == null ? 1 : api.retryAfter();
      if (Duration.ofSeconds(seconds).compareTo(maxDelay) > 0) {
        throw new TelegramApiException(
            api.method(),
            429,
            api.description()
                + "; retry_after "
                + seconds
                + " s exceeds BOT_API_MAX_DELAY ("
                + maxDelay.toSeconds()
                + " s), not retried",
            api.retryAfter(),
            api.migrateToChatId());
      }
      return retried < maxRetries ? Duration.ofSeconds(seconds) : null;
    }
    boolean transientFailure =
        failure instanceof TelegramTransportException
            || (failure instanceof TelegramApiException api && api.errorCode() >= 500);
    return transientFailure && retried < maxRetries ? backoff.next() : null;
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
