package dev.botrunner.internal.store;

import dev.botrunner.internal.config.BotId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import org.jboss.logging.Logger;

/**
 * Elects the one replica that polls for a bot: a PostgreSQL session advisory lock ({@code
 * pg_try_advisory_lock}) held on a dedicated connection, not one from the pool (a pooled connection
 * is shared and returned, and the lock belongs to the session). When the holder dies or loses its
 * connection PostgreSQL releases the lock and a standby replica takes it.
 *
 * <p>Each bot has its own lock, so bots sharing a database poll side by side and only replicas of
 * the same bot exclude each other. The lock is the two-{@code int} form, {@code
 * pg_try_advisory_lock(key1, key2)}, which PostgreSQL keeps apart from the single-{@code bigint}
 * form (Flyway's migration lock, most applications' locks): they never collide. {@code key1} is a
 * 16-bit namespace ("bp") over bits 32-47 of the bot id, {@code key2} its low 32 bits, so two bots
 * get the same lock only if their ids agree on all of bits 0-47. Bot ids are about 2^33 today; ids
 * from 2^48 on have bits 48-62 folded (XOR) onto 32-47 and could in principle share a lock, which
 * would show as one bot standing by for good ({@code poller: standby}), never as two pollers.
 */
public final class PostgresPollerLock {

  private static final Logger LOG = Logger.getLogger(PostgresPollerLock.class);

  /** High 16 bits of {@code key1}, naming botrunner's poller locks ("bp"). */
  static final int NAMESPACE = 0x6270;

  private static final String TRY_LOCK =
      "SELECT pg_try_advisory_lock($1::int4, $2::int4) AS locked";

  private final Vertx vertx;
  private final PgConnectOptions options;
  private final BotId bot;
  private final int key1;
  private final int key2;
  private volatile PgConnection connection;
  private volatile boolean held;

  /** When a held lock was last lost; written before {@link #held} is cleared. */
  private volatile long lostAtNanos;

  private volatile boolean everLost;
  private volatile Runnable onLost = () -> {};

  /**
   * @param vertx the Vert.x instance
   * @param options where to connect (the session store's database)
   * @param bot the bot whose poller this elects
   */
  public PostgresPollerLock(Vertx vertx, PgConnectOptions options, BotId bot) {
    this.vertx = vertx;
    this.options = options;
    this.bot = bot;
    int[] keys = keys(bot);
    this.key1 = keys[0];
    this.key2 = keys[1];
  }

  /**
   * @param bot a bot
   * @return the two keys of its lock: the namespace over bits 32-47 (with 48-62 folded in), and
   *     bits 0-31
   */
  static int[] keys(BotId bot) {
    long id = bot.value();
    int high = (int) ((id >>> 32) ^ (id >>> 48)) & 0xFFFF;
    return new int[] {NAMESPACE << 16 | high, (int) id};
  }

  /**
   * @param onLost called when a held lock is lost (its connection closed)
   */
  public void onLost(Runnable onLost) {
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
                conn.preparedQuery(TRY_LOCK)
                    .execute(Tuple.of(key1, key2))
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
                      LOG.warnf(
                          "lost the poller lock of bot %s: its PostgreSQL connection closed", bot);
                      onLost.run();
                    }
                  });
            });
  }

  /**
   * @param nowNanos {@link System#nanoTime()}
   * @return nanoseconds since a held lock was last lost, or {@link Long#MAX_VALUE} if never
   */
  public long sinceLost(long nowNanos) {
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
