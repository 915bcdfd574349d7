package dev.botrunner.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.session.PostgresSessionStore;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The durable dedupe table is pruned after BOT_DEDUPE_RETENTION, in batches, and keeps the ids that
 * are still within it.
 */
class PostgresPruneTest {

  static Vertx vertx;
  static Pool pool;
  static PostgresSessionStore store;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    pool = TestPostgres.pool(vertx, TestPostgres.options(), 4);
    store = new PostgresSessionStore(pool, null);
    TestPostgres.migrate(TestPostgres.options());
  }

  @AfterAll
  static void stop() {
    pool.closeAndAwait();
    vertx.closeAndAwait();
  }

  private static long sql(String sql) {
    return pool.query(sql).execute().await().atMost(Duration.ofSeconds(30)).rowCount();
  }

  @Test
  void idsOlderThanTheRetentionArePrunedInBatches() {
    int old = PostgresSessionStore.SWEEP_BATCH + 500;
    sql("DELETE FROM bot_processed_update WHERE update_id BETWEEN 50000000 AND 50100000");
    sql(
        "INSERT INTO bot_processed_update (update_id, processed_at) SELECT 50000000 + g,"
            + " now() - interval '2 days' FROM generate_series(1, "
            + old
            + ") g");
    sql(
        "INSERT INTO bot_processed_update (update_id, processed_at) SELECT 50090000 + g,"
            + " now() - interval '1 hour' FROM generate_series(1, 10) g");

    long pruned = store.pruneProcessed(Duration.ofHours(24)).await().atMost(Duration.ofSeconds(30));

    assertTrue(pruned >= old, "all " + old + " old ids pruned over several batches: " + pruned);
    assertFalse(store.isProcessed(50000001).await().atMost(Duration.ofSeconds(5)));
    assertFalse(store.isProcessed(50000000 + old).await().atMost(Duration.ofSeconds(5)));
    assertTrue(store.isProcessed(50090001).await().atMost(Duration.ofSeconds(5)));
    assertEquals(
        10,
        pool.query(
                "SELECT count(*) FROM bot_processed_update"
                    + " WHERE update_id BETWEEN 50000000 AND 50100000")
            .execute()
            .await()
            .atMost(Duration.ofSeconds(5))
            .iterator()
            .next()
            .getLong(0));
  }
}
