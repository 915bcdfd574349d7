package dev.botrunner.internal.store;

import dev.botrunner.SessionConflictException;
import dev.botrunner.internal.config.BotId;
import dev.botrunner.internal.propagation.OwnPipeline;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * Sessions in PostgreSQL's {@code bot_session} table (created by the Flyway scripts of {@link
 * SchemaMigrations}), scoped to one bot ({@link BotId}: several bots share the table, each sees
 * only its own rows, and so for the processed-update ids), with optimistic versioning: a write
 * names the version it read and matches zero rows if someone else wrote in between, which becomes a
 * {@link SessionConflictException} instead of a lost write.
 *
 * <p>With a TTL every write sets {@code expires_at}; expired rows read as absent, may be replaced
 * by a new session, and are deleted by {@link #sweepExpired} in short batches.
 */
public final class PostgresSessionStore implements SessionStore {

  /** Rows deleted per sweeper statement (each statement is its own short transaction). */
  public static final int SWEEP_BATCH = 1000;

  /**
   * Longest wait for a statement of an update (read, write, lookup). A statement on a connection
   * that died under it may never be answered by the driver; failing it as unreachable lets the
   * update run again (its write is atomic with its processed id, so a late commit is detected as a
   * duplicate), instead of holding its chat forever.
   */
  static final Duration STATEMENT_DEADLINE = Duration.ofSeconds(10);

  /** Inside a transaction: the CAS matched no row; rolled back, then reported as a conflict. */
  private static final class NoRow extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NoRow() {
      super(null, null, false, false);
    }
  }

  private final Pool pool;
  private final BotId bot;
  private final long botId;
  private final Double ttlSeconds;
  private final PostgresLookups lookups;

  /**
   * @param pool the reactive PostgreSQL pool
   * @param bot the bot whose sessions and processed updates these are
   * @param ttl how long a session lives after its last write, or null for ever
   */
  public PostgresSessionStore(Pool pool, BotId bot, Duration ttl) {
    this.pool = pool;
    this.bot = Objects.requireNonNull(bot, "bot");
    this.botId = bot.value();
    this.ttlSeconds = ttl == null ? null : ttl.toMillis() / 1000.0;
    this.lookups = new PostgresLookups(pool.getDelegate(), botId);
  }

  /**
   * @return how long a session lives after its last write, in seconds, or null for ever
   */
  public Double ttlSeconds() {
    return ttlSeconds;
  }

  /**
   * @return the bot whose rows this store reads and writes
   */
  public BotId botId() {
    return bot;
  }

  /**
   * Takes over the rows written before state was kept per bot for this store's bot; see {@link
   * UnclaimedRows}.
   *
   * @return how many rows were claimed
   */
  public Uni<UnclaimedRows.Claimed> claimUnclaimedRows() {
    return new UnclaimedRows(pool, botId)
        .claim()
        .onFailure()
        .transform(e -> unavailable("claiming the rows written before per-bot state", e));
  }

  @Override
  public Uni<StoredSession> read(String key) {
    return OwnPipeline.run(
        () -> {
          return pool.preparedQuery(SessionSql.READ)
              .execute(Tuple.of(botId, key))
              .map(
                  rows -> {
                    Iterator<Row> it = rows.iterator();
                    if (!it.hasNext()) {
                      return null;
                    }
                    Row row = it.next();
                    return new StoredSession(row.getString("data"), row.getLong("version"));
                  })
              .plug(PostgresSessionStore::bounded)
              .onFailure()
              .transform(e -> unavailable("reading session " + key, e));
        });
  }

  @Override
  public Uni<Long> write(String key, String json, long expectedVersion) {
    Uni<RowSet<Row>> statement =
        expectedVersion == ABSENT
            ? pool.preparedQuery(SessionSql.INSERT).execute(Tuple.of(botId, key, json, ttlSeconds))
            : pool.preparedQuery(SessionSql.UPDATE)
                .execute(Tuple.of(botId, key, json, expectedVersion, ttlSeconds));
    return statement
        .onFailure()
        .transform(e -> unavailable("writing session " + key, e))
        .flatMap(
            rows -> {
              Iterator<Row> it = rows.iterator();
              if (it.hasNext()) {
                return Uni.createFrom().item(it.next().getLong("version"));
              }
              return conflict(key, expectedVersion);
            });
  }

  @Override
  public Uni<Long> write(String key, String json, long expectedVersion, int updateId) {
    return OwnPipeline.run(
        () -> {
          return pool.withTransaction(
                  conn ->
                      (expectedVersion == ABSENT
                              ? conn.preparedQuery(SessionSql.INSERT)
                                  .execute(Tuple.of(botId, key, json, ttlSeconds))
                              : conn.preparedQuery(SessionSql.UPDATE)
                                  .execute(Tuple.of(botId, key, json, expectedVersion, ttlSeconds)))
                          .flatMap(
                              rows -> {
                                Iterator<Row> it = rows.iterator();
                                if (!it.hasNext()) {
                                  return Uni.createFrom().<Long>failure(new NoRow());
                                }
                                long version = it.next().getLong("version");
                                return mark(conn, updateId).replaceWith(version);
                              }))
              .plug(PostgresSessionStore::bounded)
              .onFailure(NoRow.class)
              .recoverWithUni(() -> conflict(key, expectedVersion))
              .onFailure()
              .transform(e -> unavailable("writing session " + key, e));
        });
  }

  @Override
  public Uni<Void> delete(String key, long expectedVersion, int updateId) {
    return pool.withTransaction(
            conn ->
                conn.preparedQuery(SessionSql.DELETE)
                    .execute(Tuple.of(botId, key, expectedVersion))
                    .flatMap(
                        rows ->
                            rows.rowCount() == 1
                                ? mark(conn, updateId)
                                : Uni.createFrom().<Void>failure(new NoRow())))
        .plug(PostgresSessionStore::bounded)
        .onFailure(NoRow.class)
        .recoverWithUni(() -> conflict(key, expectedVersion).replaceWithVoid())
        .onFailure()
        .transform(e -> unavailable("deleting session " + key, e));
  }

  private Uni<Void> mark(io.vertx.mutiny.sqlclient.SqlClient client, int updateId) {
    return client
        .preparedQuery(SessionSql.MARK)
        .execute(Tuple.of(botId, (long) updateId))
        .flatMap(
            rows ->
                rows.iterator().hasNext()
                    ? Uni.createFrom().voidItem()
                    : Uni.createFrom().failure(new DuplicateUpdateException(updateId)));
  }

  @Override
  public Uni<Boolean> isProcessed(int updateId) {
    return OwnPipeline.run(
        () -> {
          return pool.preparedQuery(SessionSql.IS_PROCESSED)
              .execute(Tuple.of(botId, (long) updateId))
              .map(rows -> rows.iterator().hasNext())
              .plug(PostgresSessionStore::bounded)
              .onFailure()
              .transform(e -> unavailable("looking up processed update " + updateId, e));
        });
  }

  @Override
  public Uni<Void> markProcessed(int updateId) {
    return OwnPipeline.run(
        () -> {
          return mark(pool, updateId)
              .plug(PostgresSessionStore::bounded)
              .onFailure()
              .transform(e -> unavailable("recording processed update " + updateId, e));
        });
  }

  // The lookups every update makes, as Vert.x futures on the pool's own (non-Mutiny) API: see
  // SessionStore's "...Now" forms. Writes keep their Mutiny transaction (bridged by the defaults).

  @Override
  public CompletableFuture<StoredSession> readNow(String key) {
    return lookups.read(key);
  }

  @Override
  public CompletableFuture<Boolean> isProcessedNow(int updateId) {
    return lookups.isProcessed(updateId);
  }

  /**
   * Deletes processed-update records older than {@code retention}, in batches.
   *
   * @param retention how long ids are kept
   * @return the number of records deleted
   */
  public Uni<Long> pruneProcessed(Duration retention) {
    return pruneFrom(retention.toMillis() / 1000.0, 0);
  }

  private Uni<Long> pruneFrom(double seconds, long deletedSoFar) {
    return pool.preparedQuery(SessionSql.PRUNE)
        .execute(Tuple.of(botId, seconds))
        .onFailure()
        .transform(e -> unavailable("pruning processed update ids", e))
        .flatMap(
            rows -> {
              long total = deletedSoFar + rows.rowCount();
              return rows.rowCount() < SWEEP_BATCH
                  ? Uni.createFrom().item(total)
                  : pruneFrom(seconds, total);
            });
  }

  /**
   * @return the pool (the poller's pending-update table and lock use the same database)
   */
  public Pool pool() {
    return pool;
  }

  @Override
  public Uni<Void> delete(String key, long expectedVersion) {
    return pool.preparedQuery(SessionSql.DELETE)
        .execute(Tuple.of(botId, key, expectedVersion))
        .onFailure()
        .transform(e -> unavailable("deleting session " + key, e))
        .flatMap(
            rows ->
                rows.rowCount() == 1
                    ? Uni.createFrom().voidItem()
                    : conflict(key, expectedVersion).replaceWithVoid());
  }

  /** Fails with a conflict naming the version now stored (0 if none, -1 if it cannot be read). */
  private <T> Uni<T> conflict(String key, long expectedVersion) {
    return pool.preparedQuery(SessionSql.VERSION)
        .execute(Tuple.of(botId, key))
        .map(
            rows -> {
              Iterator<Row> it = rows.iterator();
              return it.hasNext() ? it.next().getLong("version") : ABSENT;
            })
        .onFailure()
        .recoverWithItem(-1L)
        .flatMap(
            actual ->
                Uni.createFrom()
                    .failure(new SessionConflictException(key, expectedVersion, actual)));
  }

  /**
   * Deletes expired sessions, {@value #SWEEP_BATCH} per statement, until a batch comes back short.
   *
   * @return the number of sessions deleted
   */
  public Uni<Long> sweepExpired() {
    return sweepFrom(0);
  }

  private Uni<Long> sweepFrom(long deletedSoFar) {
    return pool.preparedQuery(SessionSql.SWEEP)
        .execute(Tuple.of(botId))
        .onFailure()
        .transform(e -> unavailable("sweeping expired sessions", e))
        .flatMap(
            rows -> {
              long total = deletedSoFar + rows.rowCount();
              return rows.rowCount() < SWEEP_BATCH
                  ? Uni.createFrom().item(total)
                  : sweepFrom(total);
            });
  }

  /** Fails a statement that got no answer within {@link #STATEMENT_DEADLINE}. */
  private static <T> Uni<T> bounded(Uni<T> statement) {
    return statement
        .ifNoItem()
        .after(STATEMENT_DEADLINE)
        .failWith(
            () ->
                new TimeoutException("no answer within " + STATEMENT_DEADLINE.toSeconds() + " s"));
  }

  static Throwable unavailable(String what, Throwable cause) {
    if (cause instanceof SessionConflictException
        || cause instanceof SessionStoreException
        || cause instanceof DuplicateUpdateException) {
      return cause;
    }
    return new SessionStoreException(
        "PostgreSQL session store: "
            + what
            + " failed: "
            + (cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage()),
        cause);
  }
}
