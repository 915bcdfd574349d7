package dev.botrunner.internal.polling;

import dev.botrunner.internal.store.PostgresPollerLock;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The leader election of polling replicas: a replica polls only while it holds the {@link
 * PostgresPollerLock}, and stands by otherwise, trying again every {@code retry}. Without a lock (a
 * single replica) it is always the leader.
 */
final class Standby {

  /** The polling loop's category, so that one log setting covers the whole loop. */
  private static final Logger LOG = Logger.getLogger(LongPoller.class);

  /** A timer's granularity: a shorter pause would round down to none. */
  private static final Duration SHORTEST_PAUSE = Duration.ofMillis(1);

  private volatile PostgresPollerLock lock;

  /** Set with the lock; without one this replica leads and never waits. */
  private volatile Duration retry;

  private volatile boolean logged;

  /**
   * @param lock the election lock
   * @param retry how often a standby replica tries to take the lock
   * @param onLost called when the held lock is lost
   */
  void elect(PostgresPollerLock lock, Duration retry, Runnable onLost) {
    this.lock = lock;
    this.retry = retry;
    lock.onLost(onLost);
  }

  /**
   * @return how often a standby replica tries to take the lock
   */
  Duration retry() {
    return retry;
  }

  /**
   * @return whether this replica may call getUpdates: it holds the lock, or there is none
   */
  boolean leads() {
    PostgresPollerLock current = lock;
    return current == null || current.held();
  }

  /**
   * One attempt to become the leader. Until two retry periods have passed since this replica lost
   * the lock it only waits, so that a replica that was standing by gets the first chance to take
   * over; a failed or lost attempt waits one retry period.
   *
   * @param onError receives the description of a failure to reach the lock
   * @return true when this replica took the lock; false, after the wait, when it should try again
   */
  Uni<Boolean> attempt(Consumer<String> onError) {
    // Timed from the loss itself, recorded before the lock reads as gone: the loop may see the
    // lock gone before the lost-lock callback has run (they run on different threads).
    long wait = retry.multipliedBy(2).toNanos() - lock.sinceLost(System.nanoTime());
    if (wait > 0) {
      return pause(Duration.ofNanos(Math.max(wait, SHORTEST_PAUSE.toNanos()))).replaceWith(false);
    }
    return lock.tryAcquire()
        .onFailure()
        .recoverWithItem(
            e -> {
              onError.accept("poller lock: " + e.getMessage());
              return false;
            })
        .chain(
            acquired -> {
              if (acquired) {
                return Uni.createFrom().item(true);
              }
              if (!logged) {
                logged = true;
                LOG.infof(
                    "standby: another replica holds the poller lock; trying again every %s", retry);
              }
              return pause(retry).replaceWith(false);
            });
  }

  /** This replica took the lock and polls. */
  void tookOver() {
    logged = false;
    LOG.info("took the poller lock: this replica polls");
  }

  /** Gives up the lock, if any, so that a standby replica takes over at once. */
  void release() {
    PostgresPollerLock current = lock;
    if (current != null) {
      current.close();
    }
  }

  /**
   * @param delay how long
   * @return completes after {@code delay}
   */
  static Uni<Void> pause(Duration delay) {
    return Uni.createFrom().voidItem().onItem().delayIt().by(delay);
  }
}
