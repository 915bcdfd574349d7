package dev.botrunner.update;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.pgclient.PgConnectOptions;
import org.jboss.logging.Logger;

/**
 * Elects the one replica that polls: a PostgreSQL session advisory lock ({@code
 * pg_try_advisory_lock}) held on a dedicated connection, not one from the pool (a pooled connection
 * is shared and returned, and the lock belongs to the session). When the holder dies or loses its
 * connection PostgreSQL releases the lock and a standby replica takes it.
 */
public final class PostgresPollerLock {

  private static final Logger LOG = Logger.getLogger(PostgresPollerLock.class);

  /** Arbitrary constant naming botrunner's poller lock ("botpoll"). */
  static final long LOCK_ID = 0x626f74706f6c6cL;

  private final Vertx vertx;
  private final PgConnectOptions options;
  private volatile PgConnection connection;
  private volatile boolean held;

  /** When a held lock was last lost; written before {@link #held} is cleared. */
  private volatile long lostAtNanos;

  private volatile boolean everLost;
  private volatile Runnable onLost = () -> {};

  /**
   * @param vertx the Vert.x instance
   * @param options where to connect (the session store's database)
   */
  public PostgresPollerLock(Vertx vertx, PgConnectOptions options) {
    this.vertx = vertx;
    this.options = options;
  }

  /**
   * @param onLost called when a held lock is lost (its connection closed)
   */
  void onLost(Runnable onLost) {
    this.onLost = onLost;
  }

  /**
   * @return whether this process holds the lock
   */
  public boolean held() {
    return held;
  }

  /**
   * Tries once to take the lock, connecting first if needed.
   *
   * @return whether this process holds it now
   */
  public Uni<Boolean> tryAcquire() {
    if (held) {
      return Uni.createFrom().item(true);
    }
    return connection()
        .chain(
            conn ->
                conn.query("SELECT pg_try_advisory_lock(" + LOCK_ID + ") AS locked")
                    .execute()
                    .map(rows -> rows.iterator().next().getBoolean("locked")))
        .invoke(
            locked -> {
              if (locked) {
                held = true;
              }
            });
  }

  private Uni<PgConnection> connection() {
    PgConnection current = connection;
    if (current != null) {
      return Uni.createFrom().item(current);
    }
    return PgConnection.connect(vertx, options)
        .invoke(
            conn -> {
              connection = conn;
              conn.closeHandler(
                  () -> {
                    connection = null;
                    if (held) {
                      // Before clearing held: whoever sees the lock gone also sees when it went.
                      lostAtNanos = System.nanoTime();
                      everLost = true;
                      held = false;
                      LOG.warn("lost the poller lock: its PostgreSQL connection closed");
                      onLost.run();
                    }
                  });
            });
  }

  /**
   * @param nowNanos {@link System#nanoTime()}
   * @return nanoseconds since a held lock was last lost, or {@link Long#MAX_VALUE} if never
   */
  long sinceLost(long nowNanos) {
    return everLost ? nowNanos - lostAtNanos : Long.MAX_VALUE;
  }

  /** Releases the lock by closing its connection. */
  public void close() {
    PgConnection current = connection;
    held = false;
    connection = null;
    if (current != null) {
      current.closeAndForget();
    }
  }
}
