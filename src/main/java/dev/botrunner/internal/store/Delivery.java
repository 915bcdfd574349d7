package dev.botrunner.internal.store;

import io.vertx.mutiny.core.Vertx;
import java.util.Optional;

/**
 * Delivery state kept beside the sessions, chosen with the session store: where updates confirmed
 * to Telegram before they finished are kept ({@link PendingUpdates}), and the lock that lets one
 * replica of a bot poll. With PostgreSQL both are durable and shared by the replicas; with the
 * memory store nothing outlives the process, and the process polls alone.
 */
public interface Delivery {

  /** The memory store's: keeps nothing, no lock, no database. */
  Delivery MEMORY =
      new Delivery() {
        @Override
        public PendingUpdates pending() {
          return PendingUpdates.MEMORY;
        }

        @Override
        public Optional<PostgresPollerLock> pollerLock(Vertx vertx) {
          return Optional.empty();
        }
      };

  /**
   * @return where unfinished confirmed updates are kept
   */
  PendingUpdates pending();

  /**
   * @param vertx the owner of the lock's connection and timers
   * @return a new lock that lets one replica of this bot poll, or empty when there is none
   */
  Optional<PostgresPollerLock> pollerLock(Vertx vertx);
}
