package dev.botrunner.session;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Applies the versioned SQL migrations under {@code db/migration} over the reactive client, at
 * startup, before any update is processed.
 *
 * <p>Why not Flyway: Quarkus's Flyway needs a second (JDBC) datasource, driver and pool configured
 * next to the reactive one, only for this. The schema is one table, so this runner keeps the
 * essentials of such tools: numbered scripts applied once, in order, each recorded with a checksum
 * in {@code bot_schema_history} (an edited, already-applied script stops startup); all pending
 * scripts run in one transaction (PostgreSQL DDL is transactional) under an advisory lock, so
 * replicas starting together apply them exactly once. Scripts are named like Flyway's ({@code
 * V<n>__<description>.sql}) so a later switch to Flyway can baseline on them.
 */
public final class SchemaMigrations {

  private static final Logger LOG = Logger.getLogger(SchemaMigrations.class);

  /** The scripts, in order; version n is the n-th entry. Append only. */
  static final List<String> SCRIPTS = List.of("V1__bot_session.sql", "V2__delivery.sql");

  /** Arbitrary constant naming botrunner's migration lock. */
  private static final long LOCK_ID = 0x626f7472756e6e72L;

  private SchemaMigrations() {}

  /**
   * Applies the pending migrations.
   *
   * @param pool the database
   * @return the number of migrations applied
   */
  public static Uni<Integer> apply(Pool pool) {
    return pool.withTransaction(SchemaMigrations::applyIn);
  }

  private static Uni<Integer> applyIn(SqlConnection conn) {
    return conn.query("SELECT pg_advisory_xact_lock(" + LOCK_ID + ")")
        .execute()
        // "already exists, skipping" notices would be logged as warnings by the client.
        .chain(() -> conn.query("SET LOCAL client_min_messages = warning").execute())
        .chain(
            () ->
                conn.query(
                        "CREATE TABLE IF NOT EXISTS bot_schema_history (version int PRIMARY KEY,"
                            + " script text NOT NULL, checksum text NOT NULL,"
                            + " applied_at timestamptz NOT NULL DEFAULT now())")
                    .execute())
        .chain(() -> conn.query("SELECT version, checksum FROM bot_schema_history").execute())
        .chain(
            rows -> {
              Map<Integer, String> applied = new HashMap<>();
              for (Row row : rows) {
                applied.put(row.getInteger("version"), row.getString("checksum"));
              }
              return Multi.createFrom()
                  .range(1, SCRIPTS.size() + 1)
                  .onItem()
                  .transformToUniAndConcatenate(version -> applyOne(conn, version, applied))
                  .collect()
                  .with(java.util.stream.Collectors.summingInt(Integer::intValue));
            });
  }

  private static Uni<Integer> applyOne(
      SqlConnection conn, int version, Map<Integer, String> applied) {
    String script = SCRIPTS.get(version - 1);
    String sql = load(script);
    String checksum = sha256(sql);
    String known = applied.get(version);
    if (known != null) {
      if (!known.equals(checksum)) {
        return Uni.createFrom()
            .failure(
                new IllegalStateException(
                    "migration "
                        + script
                        + " was changed after it was applied to this database; restore it and"
                        + " add a new migration instead"));
      }
      return Uni.createFrom().item(0);
    }
    LOG.infof("applying schema migration %s", script);
    return conn.query(sql)
        .execute()
        .chain(
            () ->
                conn.preparedQuery(
                        "INSERT INTO bot_schema_history (version, script, checksum)"
                            + " VALUES ($1, $2, $3)")
                    .execute(Tuple.of(version, script, checksum)))
        .replaceWith(1);
  }

  private static String load(String script) {
    String path = "db/migration/" + script;
    try (InputStream in = SchemaMigrations.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("migration " + path + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
