package dev.botrunner.internal.store;

import dev.botrunner.internal.config.BotId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Elects the one replica that polls for a bot: a PostgreSQL session advisory lock held on a
 * dedicated connection, not one from the pool (a pooled connection is shared and returned, and the
 * lock belongs to the session). When the holder releases it (drain) or dies or loses its
 * connection, PostgreSQL releases the lock and a standby replica takes it.
 *
 * <p>A standby does not retry on a timer: it waits in PostgreSQL's lock queue ({@code
 * pg_advisory_lock}, {@link #acquire}), which grants the lock the moment the holder's session lets
 * it go, so a handover takes a round trip, not a retry period. The wait holds only this dedicated
 * connection, never one of the pool's. It is cut into rounds of {@link #WAIT_ROUND} ({@code
 * lock_timeout}), after which the standby simply waits again: so a connection that went silent is
 * noticed ({@link #ANSWER_GRACE}), and a waiter whose replica vanished without closing its
 * connection leaves the queue within a round instead of being granted the lock. On servers that
 * have it (PostgreSQL 14+), {@code client_connection_check_interval} makes a waiting backend notice
 * a closed connection sooner. {@link #close} cancels a wait in progress ({@code cancelRequest}) and
 * closes the connection, so shutdown leaves nothing queued.
 *
 * <p>Each bot has its own lock, so bots sharing a database poll side by side and only replicas of
 * the same bot exclude each other. The lock is the two-{@code int} form, {@code
 * pg_advisory_lock(key1, key2)}, which PostgreSQL keeps apart from the single-{@code bigint} form
 * (Flyway's migration lock, most applications' locks): they never collide. {@code key1} is a 16-bit
 * namespace ("bp") over bits 32-47 of the bot id, {@code key2} its low 32 bits, so two bots get the
 * same lock only if their ids agree on all of bits 0-47. Bot ids are about 2^33 today; ids from
 * 2^48 on have bits 48-62 folded (XOR) onto 32-47 and could in principle share a lock, which would
 * show as one bot standing by for good ({@code poller: standby}), never as two pollers.
 */
public final class PostgresPollerLock {

  private static final Logger LOG = Logger.getLogger(PostgresPollerLock.class);

  /** High 16 bits of {@code key1}, naming botrunner's poller locks ("bp"). */
  static final int NAMESPACE = 0x6270;

  /**
   * How long one wait in the lock queue lasts before PostgreSQL ends it ({@code lock_timeout}) and
   * the standby waits again; bounds how long a vanished replica's wait can stay queued.
   */
  static final Duration WAIT_ROUND = Duration.ofSeconds(10);

  /** How long past a round the server may take to answer before its connection counts as dead. */
  static final Duration ANSWER_GRACE = Duration.ofSeconds(10);

  /** How long closing waits for the server to take a cancelled wait out of its queue. */
  static final Duration CANCEL_WAIT = Duration.ofSeconds(5);

  /** How often a waiting backend checks that this connection is still open (PostgreSQL 14+). */
  static final Duration CONNECTION_CHECK = Duration.ofSeconds(1);

  /** SQLSTATE lock_not_available: the round's {@code lock_timeout} ended the wait. */
  private static final String LOCK_NOT_AVAILABLE = "55P03";

  private static final String TRY_LOCK =
      "SELECT pg_try_advisory_lock($1::int4, $2::int4) AS locked";

  private static final String LOCK = "SELECT pg_advisory_lock($1::int4, $2::int4)";

  private final Vertx vertx;
  private final PgConnectOptions options;
  private final BotId bot;
  private final int key1;
  private final int key2;
  private final Duration round;
  private final String sessionSettings;

  /** The lock's connection; only the connection that holds or seeks the lock now is here. */
  private final AtomicReference<PgConnection> connection = new AtomicReference<>();

  private volatile boolean held;

  /** The connection whose {@code pg_advisory_lock} is in flight, if any. */
  private volatile PgConnection waiting;

  private volatile Runnable onLost = () -> {};

  /**
   * @param vertx the Vert.x instance
   * @param options where to connect (the session store's database)
   * @param bot the bot whose poller this elects
   */
  public PostgresPollerLock(Vertx vertx, PgConnectOptions options, BotId bot) {
    this(vertx, options, bot, WAIT_ROUND);
  }

  /**
   * @param vertx the Vert.x instance
   * @param options where to connect
   * @param bot the bot whose poller this elects
   * @param round how long one wait in the queue lasts (tests shorten {@link #WAIT_ROUND})
   */
  PostgresPollerLock(Vertx vertx, PgConnectOptions options, BotId bot, Duration round) {
    this.vertx = vertx;
    this.options = options;
    this.bot = bot;
    int[] keys = keys(bot);
    this.key1 = keys[0];
    this.key2 = keys[1];
    this.round = round;
    // One round trip when the connection opens. The check interval is set only where the server
    // knows it: the SELECT finds no row on PostgreSQL 13 and older.
    this.sessionSettings =
        "SET lock_timeout = "
            + round.toMillis()
            + "; SELECT set_config(name, '"
            + CONNECTION_CHECK.toMillis()
            + "', false) FROM pg_settings WHERE name = 'client_connection_check_interval'";
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
   * Tries once to take the lock, without waiting, connecting first if needed.
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
                    .map(rows -> took(conn, rows.iterator().next().getBoolean("locked"))));
  }

  /**
   * Waits in PostgreSQL's queue for the lock, connecting first if needed: completes with true the
   * moment it is granted, or with false when the round ({@link #WAIT_ROUND}) ended without it.
   * Fails when the database cannot be reached, or does not answer within the round and {@link
   * #ANSWER_GRACE} (the connection is then closed). Cancelling the wait takes it out of the queue
   * and closes the connection, so a lock granted meanwhile is released at once.
   *
   * @return whether this process holds the lock now
   */
  public Uni<Boolean> acquire() {
    if (held) {
      return Uni.createFrom().item(true);
    }
    return connection()
        .chain(
            conn ->
                conn.preparedQuery(LOCK)
                    .execute(Tuple.of(key1, key2))
                    .onSubscription()
                    .invoke(() -> waiting = conn)
                    .onTermination()
                    .invoke(() -> waiting = null)
                    .map(granted -> took(conn, true))
                    .onFailure(PostgresPollerLock::roundEnded)
                    .recoverWithItem(false)
                    // Upstream of the time limit, so that the limit cancels the wait as well.
                    .onCancellation()
                    .invoke(() -> abandon(conn))
                    .ifNoItem()
                    .after(round.plus(ANSWER_GRACE))
                    .failWith(
                        () ->
                            new IllegalStateException(
                                "no answer from PostgreSQL within "
                                    + round.plus(ANSWER_GRACE).toMillis()
                                    + " ms")));
  }

  private static boolean roundEnded(Throwable failure) {
    return failure instanceof PgException e && LOCK_NOT_AVAILABLE.equals(e.getSqlState());
  }

  /**
   * @return whether this process holds the lock now: granted on {@code conn}, and {@code conn} was
   *     not closed meanwhile (the lock went with it)
   */
  private boolean took(PgConnection conn, boolean granted) {
    if (!granted) {
      return false;
    }
    // Set before the connection is looked at, as the close handler clears the connection before
    // it looks at this: whichever runs second sees the other's write, so a close in between is
    // never missed.
    held = true;
    if (connection.get() != conn) {
      held = false;
      return false;
    }
    return true;
  }

  private Uni<PgConnection> connection() {
    PgConnection current = connection.get();
    if (current != null) {
      return Uni.createFrom().item(current);
    }
    return PgConnection.connect(vertx, options)
        .call(
            conn -> conn.query(sessionSettings).execute().onFailure().invoke(conn::closeAndForget))
        .invoke(
            conn -> {
              connection.set(conn);
              conn.closeHandler(
                  () -> {
                    // A connection given up earlier (closed, abandoned) never held the lock that
                    // may be held now on another one.
                    if (!connection.compareAndSet(conn, null)) {
                      return;
                    }
                    if (held) {
                      held = false;
                      LOG.warnf(
                          "lost the poller lock of bot %s: its PostgreSQL connection closed", bot);
                      onLost.run();
                    }
                  });
            });
  }

  /** A wait that nobody awaits any more: out of the server's queue, and its connection closed. */
  private void abandon(PgConnection conn) {
    connection.compareAndSet(conn, null);
    cancelAndClose(conn);
  }

  /** Releases the lock by closing its connection; a wait in progress is cancelled first. */
  public void close() {
    held = false;
    PgConnection current = connection.getAndSet(null);
    if (current == null) {
      return;
    }
    if (waiting == current) {
      cancelAndClose(current);
    } else {
      current.closeAndForget();
    }
  }

  private static void cancelAndClose(PgConnection conn) {
    // The cancel goes over a connection of its own; closing after it, so that it still finds the
    // session it names. The backend then leaves the lock queue at once, instead of at the end of
    // its round or when the server notices the closed connection.
    conn.cancelRequest()
        .ifNoItem()
        .after(CANCEL_WAIT)
        .fail()
        .onTermination()
        .invoke(conn::closeAndForget)
        .subscribe()
        .with(ignored -> {}, ignored -> {});
  }
}
