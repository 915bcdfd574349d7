package dev.botrunner.internal.dispatch;

import java.util.concurrent.atomic.LongAdder;

/**
 * How the dispatcher's updates ended, for {@link Dispatcher}'s getters and the metrics.
 *
 * <p>{@link LongAdder}s because every worker thread bumps them at the end of each update; a single
 * atomic would be a contended cache line on the hot path, and the sums are only read by gauges and
 * tests.
 */
final class DispatchCounters {

  private final LongAdder done = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder timedOut = new LongAdder();
  private final LongAdder duplicates = new LongAdder();

  void countDone() {
    done.increment();
  }

  void countFailed() {
    failed.increment();
  }

  void countTimedOut() {
    timedOut.increment();
  }

  /** Takes back a timeout counted by a deadline that lost the race to the update's own end. */
  void uncountTimedOut() {
    timedOut.decrement();
  }

  void countDuplicate() {
    duplicates.increment();
  }

  long done() {
    return done.sum();
  }

  long failed() {
    return failed.sum();
  }

  long timedOut() {
    return timedOut.sum();
  }

  long duplicates() {
    return duplicates.sum();
  }
}
