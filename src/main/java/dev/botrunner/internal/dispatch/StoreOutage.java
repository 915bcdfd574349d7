package dev.botrunner.internal.dispatch;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Holds updates while the session store is unreachable, so that an outage delays them instead of
 * failing them. The first update that finds the store unreachable closes the gate and probes: it
 * runs again after a backoff that doubles up to {@link #MAX_BACKOFF}. Every other update waits for
 * the gate to open without touching the store, so the pool sees one failing attempt per backoff
 * instead of one per update. When an attempt reaches the store again the gate opens and the waiting
 * updates run again. The waiting updates keep their keys and slots, so they run again in their
 * chat's order and the polling offset does not pass them. One line per {@link #LOG_EVERY} reports
 * the outage, not one per update.
 */
final class StoreOutage {

  // The dispatcher's category, so log settings made for it still cover the pipeline.
  private static final Logger LOG = Logger.getLogger(Dispatcher.class);

  /** First wait before the probing update runs again. */
  static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

  /** Longest wait between two probes: bounds how late updates resume after the store is back. */
  static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

  /** Doublings counted at most: the shift stays clear of overflow; MAX_BACKOFF caps far sooner. */
  private static final int MAX_DOUBLINGS = 16;

  /** Least time between two log lines about one outage. */
  static final Duration LOG_EVERY = Duration.ofSeconds(5);

  private final Object lock = new Object();
  private final LongSupplier clock;

  /**
   * Completes when the store is reachable again; null while it is. Volatile: every update reads it
   * without the lock, and it is null almost always.
   */
  private volatile CompletableFuture<Void> reopened;

  private boolean probing;
  private int waiting;
  private long waitedTotal;
  private String firstFailure;
  private long closedAtNanos;
  private long loggedAtNanos;

  StoreOutage() {
    this(System::nanoTime);
  }

  /**
   * @param clock {@link System#nanoTime()} or a test's clock
   */
  StoreOutage(LongSupplier clock) {
    this.clock = clock;
  }

  /**
   * @return completes when the store is reachable again, or null when it is not known to be down
   */
  CompletableFuture<Void> whenOpen() {
    return reopened;
  }

  /**
   * An update failed because the store is unreachable and will run again.
   *
   * @param updateId the update, for the log
   * @param failure the store's message
   * @param attempt how many times this update already found the store unreachable in a row
   * @return completes when it should run again
   */
  Uni<Void> held(int updateId, String failure, int attempt) {
    CompletableFuture<Void> gate;
    boolean probe;
    String line = null;
    synchronized (lock) {
      long now = clock.getAsLong();
      if (reopened == null) {
        reopened = new CompletableFuture<>();
        firstFailure = "update " + updateId + ": " + failure;
        closedAtNanos = now;
        loggedAtNanos = now - LOG_EVERY.toNanos();
        waitedTotal = 0;
      }
      if (attempt == 0) {
        waiting++;
        waitedTotal++;
      }
      gate = reopened;
      probe = !probing;
      if (probe) {
        probing = true;
      }
      if (now - loggedAtNanos >= LOG_EVERY.toNanos()) {
        loggedAtNanos = now;
        line =
            String.format(
                "session store unreachable for %d ms: %d update(s) waiting to run again, none"
                    + " confirmed (first: %s)",
                (now - closedAtNanos) / 1_000_000, waiting, firstFailure);
      }
    }
    if (line != null) {
      LOG.warn(line);
    }
    if (!probe) {
      return Uni.createFrom().completionStage(gate);
    }
    return Uni.createFrom()
        .voidItem()
        .onItem()
        .delayIt()
        .by(backoff(attempt))
        .invoke(
            () -> {
              synchronized (lock) {
                probing = false;
              }
            });
  }

  /**
   * An update that was held reached the store again (whatever its outcome), or ended otherwise.
   *
   * @param wasHeld whether this update was counted by {@link #held}
   */
  void reached(boolean wasHeld) {
    CompletableFuture<Void> gate = null;
    String line = null;
    synchronized (lock) {
      if (wasHeld) {
        waiting--;
      }
      if (reopened != null) {
        gate = reopened;
        reopened = null;
        probing = false;
        line =
            String.format(
                "session store reachable again after %d ms; %d update(s) held meanwhile run again",
                (clock.getAsLong() - closedAtNanos) / 1_000_000, waitedTotal);
      }
    }
    if (line != null) {
      LOG.info(line);
      gate.complete(null);
    }
  }

  static Duration backoff(int attempt) {
    long millis = FIRST_BACKOFF.toMillis() << Math.min(attempt, MAX_DOUBLINGS);
    return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
  }
}
