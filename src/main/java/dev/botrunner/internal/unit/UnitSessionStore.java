package dev.botrunner.internal.unit;

import dev.botrunner.SessionConflictException;
import dev.botrunner.internal.store.DuplicateUpdateException;
import dev.botrunner.internal.store.PostgresSessionStore;
import dev.botrunner.internal.store.SessionStore;
import dev.botrunner.internal.store.StoredSession;
import io.smallrye.mutiny.Uni;

/**
 * The session writes of {@link PostgresSessionStore} (the same compare-and-set on the version, the
 * same processed mark), run as statements of a unit's open transaction instead of transactions of
 * their own. A lost compare-and-set fails the unit, which rolls back the bot's writes with it.
 *
 * <p>The SQL spells its casts {@code CAST(.. AS ..)}: Hibernate's native queries (the Panache form)
 * read {@code ::} as a named parameter. The new version is not returned (nothing reads it after a
 * unit's commit), so the writes only count rows.
 */
final class UnitSessionStore implements SessionStore {

  /** A store that only reads: a session's first read inside a unit. */
  abstract static class ReadsOnly implements SessionStore {
    @Override
    public Uni<Long> write(String key, String json, long expectedVersion) {
      throw new UnsupportedOperationException("a unit's session writes at the unit's commit");
    }

    @Override
    public Uni<Void> delete(String key, long expectedVersion) {
      throw new UnsupportedOperationException("a unit's session writes at the unit's commit");
    }
  }

  private static final String BOT_DATA = "CAST(CAST($3 AS text) AS jsonb)";

  private final PostgresSessionStore store;
  private final UnitStatements statements;
  private final long botId;
  private final Double ttlSeconds;
  private final String insert;
  private final String update;

  UnitSessionStore(PostgresSessionStore store, UnitStatements statements) {
    this.store = store;
    this.statements = statements;
    this.botId = store.botId().value();
    this.ttlSeconds = store.ttlSeconds();
    // Without a TTL the expiry is a literal NULL: a null parameter has no type for the server.
    String insertExpiry =
        ttlSeconds == null ? "NULL" : "now() + make_interval(secs => CAST($4 AS float8))";
    String updateExpiry =
        ttlSeconds == null ? "NULL" : "now() + make_interval(secs => CAST($5 AS float8))";
    this.insert =
        "INSERT INTO bot_session AS s (bot_id, key, data, version, updated_at, expires_at)"
            + " VALUES ($1, $2, "
            + BOT_DATA
            + ", 1, now(), "
            + insertExpiry
            + ") ON CONFLICT (bot_id, key) DO UPDATE SET data = EXCLUDED.data,"
            + " version = s.version + 1, updated_at = now(), expires_at = EXCLUDED.expires_at"
            + " WHERE s.expires_at IS NOT NULL AND s.expires_at <= now()";
    this.update =
        "UPDATE bot_session SET data = "
            + BOT_DATA
            + ", version = version + 1, updated_at = now(), expires_at = "
            + updateExpiry
            + " WHERE bot_id = $1 AND key = $2 AND version = $4";
  }

  private static final String DELETE =
      "DELETE FROM bot_session WHERE bot_id = $1 AND key = $2 AND version = $3";

  private static final String MARK =
      "INSERT INTO bot_processed_update (bot_id, update_id, processed_at) VALUES ($1, $2, now())"
          + " ON CONFLICT (bot_id, update_id) DO NOTHING";

  private static final String READ =
      "SELECT CAST(data AS text) AS data, version FROM bot_session"
          + " WHERE bot_id = $1 AND key = $2 AND (expires_at IS NULL OR expires_at > now())";

  private static final String VERSION =
      "SELECT version FROM bot_session WHERE bot_id = $1 AND key = $2";

  /**
   * Reads in the unit's transaction, on its connection: a unit that waited for another connection
   * while holding one could wait for ever once every connection is held by such a unit.
   */
  @Override
  public Uni<StoredSession> read(String key) {
    return statements
        .first(READ, botId, key)
        .map(
            row ->
                row == null
                    ? null
                    : new StoredSession((String) row[0], ((Number) row[1]).longValue()));
  }

  @Override
  public Uni<Long> write(String key, String json, long expectedVersion) {
    Uni<Integer> written;
    if (expectedVersion == ABSENT) {
      written =
          ttlSeconds == null
              ? statements.execute(insert, botId, key, json)
              : statements.execute(insert, botId, key, json, ttlSeconds);
    } else {
      written =
          ttlSeconds == null
              ? statements.execute(update, botId, key, json, expectedVersion)
              : statements.execute(update, botId, key, json, expectedVersion, ttlSeconds);
    }
    // The version an update wrote; over an expired row an insert continues that row's versions.
    return written.flatMap(
        rows ->
            rows == 1
                ? Uni.createFrom().item(expectedVersion + 1)
                : conflict(key, expectedVersion));
  }

  @Override
  public Uni<Void> delete(String key, long expectedVersion) {
    return statements
        .execute(DELETE, botId, key, expectedVersion)
        .flatMap(
            rows ->
                rows == 1
                    ? Uni.createFrom().voidItem()
                    : conflict(key, expectedVersion).replaceWithVoid());
  }

  @Override
  public Uni<Void> markProcessed(int updateId) {
    return statements
        .execute(MARK, botId, (long) updateId)
        .flatMap(
            rows ->
                rows == 1
                    ? Uni.createFrom().voidItem()
                    : Uni.createFrom().failure(new DuplicateUpdateException(updateId)));
  }

  /** Fails with a conflict naming the version committed now (-1 if it cannot be read). */
  private <T> Uni<T> conflict(String key, long expectedVersion) {
    return statements
        .first(VERSION, botId, key)
        .map(row -> row == null ? ABSENT : ((Number) row[0]).longValue())
        .onFailure()
        .recoverWithItem(-1L)
        .flatMap(
            actual ->
                Uni.createFrom()
                    .failure(new SessionConflictException(key, expectedVersion, actual)));
  }
}
