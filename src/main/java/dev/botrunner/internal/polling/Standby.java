package dev.botrunner.internal.polling;

import dev.botrunner.internal.store.PostgresPollerLock;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The leader election of polling replicas: a replica polls only while it holds the {@link
 * PostgresPollerLock}, and stands by otherwise, waiting in PostgreSQL's queue for the lock, so that
 * it polls the moment the holder lets go (drains, dies or loses its connection). Without a lock (a
 * single replica) it is always the leader.
 */
final class Standby {

  /** The polling loop's category, so that one log setting covers the whole loop. */
  private static final Logger LOG = Logger.getLogger(LongPoller.class);

  private volatile PostgresPollerLock lock;

  /** Set with the lock; without one this replica leads and never waits. */
  private volatile Duration retry;

  private volatile boolean logged;

  /**
   * @param lock the election lock
   * @param retry how long to wait before trying again after the lock's database could not be
   *     reached, or after this replica lost the lock
   * @param onLost called when the held lock is lost
   */
  void elect(PostgresPollerLock lock, Duration retry, Runnable onLost) {
    this.lock = lock;
    this.retry = retry;
    lock.onLost(onLost);
  }

  /**
   * @return how long to wait after a failure to reach the lock, or after losing it
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
   * One attempt to become the leader: takes the lock if it is free, else waits in line for it for
   * one round ({@code PostgresPollerLock.acquire}). No timer decides when a standby takes over:
   * PostgreSQL grants the lock to the first waiter as soon as its holder's session lets it go, and
   * a replica that lost the lock queues behind the standbys already waiting. A failure to reach the
   * lock waits one retry period.
   *
   * @param onError receives the description of a failure to reach the lock
   * @return true when this replica took the lock; false when it should wait again
   */
  Uni<Boolean> attempt(Consumer<String> onError) {
    PostgresPollerLock current = lock;
    return current
        .tryAcquire()
        .chain(acquired -> acquired ? Uni.createFrom().item(true) : waitInLine(current))
        .onFailure()
        .recoverWithUni(
            e -> {
              onError.accept("poller lock: " + e.getMessage());
              return pause(retry).replaceWith(false);
            });
  }

  private Uni<Boolean> waitInLine(PostgresPollerLock current) {
    if (!logged) {
      logged = true;
      LOG.info(
          "standby: another replica holds the poller lock; this one takes over the moment it is"
              + " released");
    }
    return current.acquire();
  }

  /** This replica took the lock and polls. */
  void tookOver() {
    logged = false;
    LOG.info("took the poller lock: this replica polls");
  }

  /**
   * Gives up the lock, if any (a wait in line is cancelled), so that a standby takes over at once.
   */
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
