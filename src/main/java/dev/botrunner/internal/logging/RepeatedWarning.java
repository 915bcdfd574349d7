package dev.botrunner.internal.logging;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * One warning that may repeat for many updates at once (the database is away: every update at its
 * deadline fails alike): logged at most once per period, with how many were left out since, so an
 * outage costs a few lines instead of one per update.
 */
public final class RepeatedWarning {

  private final Logger log;
  private final long everyNanos;
  private final AtomicLong lastLogged = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();

  public RepeatedWarning(Logger log, Duration every) {
    this.log = log;
    this.everyNanos = every.toNanos();
  }

  /**
   * @param message this occurrence, logged as is when the period allows it
   */
  public void warn(String message) {
    long now = System.nanoTime();
    long last = lastLogged.get();
    if (last != Long.MIN_VALUE && now - last < everyNanos || !lastLogged.compareAndSet(last, now)) {
      suppressed.incrementAndGet();
      return;
    }
    long left = suppressed.getAndSet(0);
    log.warn(left == 0 ? message : message + " (" + left + " more like it since the last one)");
  }
}
