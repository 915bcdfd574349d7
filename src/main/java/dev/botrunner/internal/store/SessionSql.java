package dev.botrunner.internal.store;

/**
 * The statements of {@link PostgresSessionStore} and {@link PostgresLookups}. Every one names the
 * bot ({@code $1}): several bots share the tables, and their chat ids and update ids overlap.
 */
final class SessionSql {

  private SessionSql() {}

  static final String READ =
      "SELECT data::text AS data, version FROM bot_session"
          + " WHERE bot_id = $1 AND key = $2 AND (expires_at IS NULL OR expires_at > now())";

  // $3::text::jsonb: a String bound to a jsonb parameter would be sent as a JSON string literal.
  // An expired row that the sweeper has not removed yet reads as absent, so an insert may replace
  // it (continuing its version); a live row makes the insert a conflict.
  static final String INSERT =
      "INSERT INTO bot_session AS s (bot_id, key, data, version, updated_at, expires_at)"
          + " VALUES ($1, $2, $3::text::jsonb, 1, now(),"
          + " now() + make_interval(secs => $4::float8))"
          + " ON CONFLICT (bot_id, key) DO UPDATE SET data = EXCLUDED.data,"
          + " version = s.version + 1,"
          + " updated_at = now(), expires_at = EXCLUDED.expires_at"
          + " WHERE s.expires_at IS NOT NULL AND s.expires_at <= now()"
          + " RETURNING version";

  static final String UPDATE =
      "UPDATE bot_session SET data = $3::text::jsonb, version = version + 1, updated_at = now(),"
          + " expires_at = now() + make_interval(secs => $5::float8)"
          + " WHERE bot_id = $1 AND key = $2 AND version = $4 RETURNING version";

  static final String DELETE =
      "DELETE FROM bot_session WHERE bot_id = $1 AND key = $2 AND version = $3";

  static final String VERSION = "SELECT version FROM bot_session WHERE bot_id = $1 AND key = $2";

  static final String SWEEP =
      "DELETE FROM bot_session WHERE bot_id = $1 AND key IN (SELECT key FROM bot_session"
          + " WHERE bot_id = $1 AND expires_at < now() LIMIT "
          + PostgresSessionStore.SWEEP_BATCH
          + " FOR UPDATE SKIP LOCKED)";

  // RETURNING nothing means the id was there already: the caller rolls its transaction back.
  static final String MARK =
      "INSERT INTO bot_processed_update (bot_id, update_id, processed_at) VALUES ($1, $2, now())"
          + " ON CONFLICT (bot_id, update_id) DO NOTHING RETURNING update_id";

  static final String IS_PROCESSED =
      "SELECT 1 FROM bot_processed_update WHERE bot_id = $1 AND update_id = $2";

  static final String PRUNE =
      "DELETE FROM bot_processed_update WHERE bot_id = $1 AND update_id IN (SELECT update_id FROM"
          + " bot_processed_update WHERE bot_id = $1"
          + " AND processed_at < now() - make_interval(secs => $2::float8)"
          + " LIMIT "
          + PostgresSessionStore.SWEEP_BATCH
          + " FOR UPDATE SKIP LOCKED)";
}
