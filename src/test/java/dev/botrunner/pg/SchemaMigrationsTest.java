package dev.botrunner.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.botrunner.internal.store.SchemaMigrations;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.pgclient.PgConnectOptions;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * botrunner's migrations live beside an application's own tables: they run in a schema that already
 * holds other tables, take over botrunner tables created under an earlier history table, and list
 * exactly the scripts on the class path.
 */
class SchemaMigrationsTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void theListNamesEveryScriptInTheDirectory() throws Exception {
    URL dir = SchemaMigrations.class.getClassLoader().getResource(SchemaMigrations.LOCATION);
    List<String> files;
    try (Stream<Path> paths = Files.list(Path.of(dir.toURI()))) {
      files = paths.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertEquals(files, SchemaMigrations.SCRIPTS.stream().sorted().toList());
  }

  @Test
  void migratesASchemaWithOtherTablesAndKeepsEarlierBotrunnerRows() {
    String database = "migrations_" + System.nanoTime();
    Vertx vertx = Vertx.vertx();
    try {
      Pool admin = TestPostgres.pool(vertx, TestPostgres.options(), 1);
      admin.query("CREATE DATABASE " + database).execute().await().atMost(WAIT);
      admin.close().await().atMost(WAIT);
      PgConnectOptions options = TestPostgres.options().setDatabase(database);
      Pool pool = TestPostgres.pool(vertx, options, 1);
      // An application's own table, and a session row written before botrunner had a history
      // table of its own.
      sql(pool, "CREATE TABLE shop_order (id bigint PRIMARY KEY, item text)");
      sql(
          pool,
          "CREATE TABLE bot_session (key text PRIMARY KEY, data jsonb NOT NULL, version bigint NOT"
              + " NULL, updated_at timestamptz NOT NULL, expires_at timestamptz)");
      sql(pool, "INSERT INTO bot_session VALUES ('42', '{\"count\":3}', 3, now(), null)");

      assertEquals(SchemaMigrations.SCRIPTS.size(), TestPostgres.migrate(options));
      assertEquals(0, TestPostgres.migrate(options), "applied once");

      assertEquals(List.of("3"), column(pool, "SELECT data->>'count' FROM bot_session"));
      assertEquals(List.of("0"), column(pool, "SELECT count(*)::text FROM shop_order"));
      pool.close().await().atMost(WAIT);
    } finally {
      vertx.closeAndAwait();
    }
  }

  private static void sql(Pool pool, String statement) {
    pool.query(statement).execute().await().atMost(WAIT);
  }

  private static List<String> column(Pool pool, String query) {
    List<String> values = new ArrayList<>();
    for (Row row : pool.query(query).execute().await().atMost(WAIT)) {
      values.add(row.getString(0));
    }
    return values;
  }
}
