package dev.botrunner.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.internal.config.BotId;
import dev.botrunner.internal.store.PostgresPendingUpdates;
import dev.botrunner.internal.store.PostgresSessionStore;
import dev.botrunner.internal.store.SchemaMigrations;
import dev.botrunner.internal.store.StoredSession;
import dev.botrunner.internal.store.UnclaimedRows;
import dev.botrunner.testkit.Updates;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import java.time.Duration;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * A database written by the schema before per-bot state (V2), then migrated: its rows are still
 * there, the first bot to start claims them all and reads them as before, and another bot sees none
 * of them and writes the same keys and update ids without a conflict. Each test runs in a schema of
 * its own on the shared test server.
 */
class PerBotMigrationTest {

  private static final BotId BOT = new BotId(123456789L);
  private static final BotId OTHER = new BotId(7123456789L);
  private static final Duration WAIT = Duration.ofSeconds(30);

  private String schema;
  private Vertx vertx;
  private Pool pool;

  @BeforeEach
  void atVersion2() {
    schema = "v2_upgrade_" + Long.toHexString(System.nanoTime());
    flyway(MigrationVersion.fromVersion("2")).migrate();
    PgConnectOptions options = TestPostgres.options().addProperty("search_path", schema);
    vertx = Vertx.vertx();
    pool = TestPostgres.pool(vertx, options, 4);
  }

  @AfterEach
  void dropSchema() {
    try {
      sql("DROP SCHEMA " + schema + " CASCADE");
    } finally {
      pool.closeAndAwait();
      vertx.closeAndAwait();
    }
  }

  private Flyway flyway(MigrationVersion target) {
    PgConnectOptions options = TestPostgres.options();
    return Flyway.configure()
        .dataSource(TestPostgres.jdbcUrl(options), options.getUser(), options.getPassword())
        .schemas(schema)
        .locations(SchemaMigrations.LOCATION)
        .target(target)
        .load();
  }

  private void sql(String sql) {
    pool.query(sql).execute().await().atMost(WAIT);
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(WAIT);
  }

  @Test
  void rowsWrittenBeforeTheMigrationAreClaimedByTheFirstBotAndReadable() {
    // What the V2 schema's code wrote: no bot column anywhere.
    sql(
        "INSERT INTO bot_session (key, data, version, updated_at) VALUES"
            + " ('42', '{\"count\": 5}', 5, now()), ('43', '{\"count\": 1}', 1, now())");
    sql(
        "INSERT INTO bot_processed_update (update_id, processed_at)"
            + " VALUES (500, now()), (501, now())");
    Update spilled = Updates.sequence(502).text(42, 42, "still running at the crash");
    sql(
        "INSERT INTO bot_pending_update (update_id, data, received_at) VALUES (502, '"
            + Updates.toJson(spilled).replace("'", "''")
            + "', now())");

    // V3 and every script after it.
    assertEquals(
        SchemaMigrations.SCRIPTS.size() - 2,
        flyway(MigrationVersion.LATEST).migrate().migrationsExecuted);

    PostgresSessionStore store = new PostgresSessionStore(pool, BOT, null);
    PostgresSessionStore other = new PostgresSessionStore(pool, OTHER, null);
    assertNull(await(store.read("42")), "unclaimed rows belong to no bot yet");

    assertEquals(new UnclaimedRows.Claimed(2, 2, 1), await(store.claimUnclaimedRows()));
    assertEquals(new UnclaimedRows.Claimed(0, 0, 0), await(other.claimUnclaimedRows()));
    assertEquals(new UnclaimedRows.Claimed(0, 0, 0), await(store.claimUnclaimedRows()));

    StoredSession session = await(store.read("42"));
    assertEquals(5, session.version());
    assertEquals("{\"count\": 5}", session.json());
    assertEquals(1, TestDatabase.demoCount(store, 43));
    assertTrue(await(store.isProcessed(500)));
    assertTrue(await(store.isProcessed(501)));
    List<Update> pending = await(new PostgresPendingUpdates(pool, BOT).loadAll());
    assertEquals(List.of(502), pending.stream().map(Update::getUpdateId).toList());
    assertEquals(spilled.getMessage().getText(), pending.get(0).getMessage().getText());
    // The claimed session goes on from its version.
    assertEquals(6, await(store.write("42", "{\"count\": 6}", 5)));

    // The other bot: nothing of the first one's, and the same keys and ids are free for it.
    assertNull(await(other.read("42")));
    assertFalse(await(other.isProcessed(500)));
    assertEquals(List.of(), await(new PostgresPendingUpdates(pool, OTHER).loadAll()));
    assertEquals(1, await(other.write("42", "{\"count\": 1}", 0)));
    await(other.markProcessed(500));
    await(new PostgresPendingUpdates(pool, OTHER).save(List.of(spilled)));
    assertEquals(6, await(store.read("42")).version(), "the first bot's session is untouched");
    assertEquals(1, await(new PostgresPendingUpdates(pool, OTHER).loadAll()).size());
    assertEquals(1, await(new PostgresPendingUpdates(pool, BOT).loadAll()).size());
  }

  @Test
  void botsStartingTogetherNeverSplitTheUnclaimedRows() {
    sql(
        "INSERT INTO bot_session (key, data, version, updated_at)"
            + " SELECT g::text, '{}', 1, now() FROM generate_series(1, 2000) g");
    sql(
        "INSERT INTO bot_processed_update (update_id, processed_at)"
            + " SELECT g, now() FROM generate_series(1, 2000) g");
    flyway(MigrationVersion.LATEST).migrate();

    List<UnclaimedRows.Claimed> claims =
        await(
            Uni.combine()
                .all()
                .unis(
                    new PostgresSessionStore(pool, BOT, null).claimUnclaimedRows(),
                    new PostgresSessionStore(pool, OTHER, null).claimUnclaimedRows())
                .with(UnclaimedRows.Claimed.class, list -> list));

    UnclaimedRows.Claimed all = new UnclaimedRows.Claimed(2000, 2000, 0);
    UnclaimedRows.Claimed none = new UnclaimedRows.Claimed(0, 0, 0);
    assertTrue(
        claims.equals(List.of(all, none)) || claims.equals(List.of(none, all)),
        "one bot claims everything: " + claims);
  }
}
