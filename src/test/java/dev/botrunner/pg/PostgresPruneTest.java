package dev.botrunner.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.internal.store.PostgresSessionStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The durable dedupe table is pruned after BOT_DEDUPE_RETENTION, in batches, and keeps the ids that
 * are still within it.
 */
class PostgresPruneTest {

  @RegisterExtension static final TestDatabase DB = new TestDatabase(4);

  private static boolean processed(int updateId) {
    return DB.store().isProcessed(updateId).await().atMost(Duration.ofSeconds(5));
  }

  @Test
  void idsOlderThanTheRetentionArePrunedInBatches() {
    int old = PostgresSessionStore.SWEEP_BATCH + 500;
    String range = " update_id BETWEEN 50000000 AND 50100000";
    DB.sql("DELETE FROM bot_processed_update WHERE" + range);
    long bot = TestDatabase.BOT.value();
    long other = bot + 1;
    DB.sql(
        "INSERT INTO bot_processed_update (bot_id, update_id, processed_at) SELECT b, 50000000 + g,"
            + " now() - interval '2 days' FROM generate_series(1, "
            + old
            + ") g, (VALUES ("
            + bot
            + "), ("
            + other
            + ")) v(b)");
    DB.sql(
        "INSERT INTO bot_processed_update (bot_id, update_id, processed_at) SELECT "
            + bot
            + ", 50090000 + g, now() - interval '1 hour' FROM generate_series(1, 10) g");

    long pruned =
        DB.store().pruneProcessed(Duration.ofHours(24)).await().atMost(Duration.ofSeconds(30));

    assertTrue(pruned >= old, "all " + old + " old ids pruned over several batches: " + pruned);
    assertFalse(processed(50000001));
    assertFalse(processed(50000000 + old));
    assertTrue(processed(50090001), "still within the retention");
    long left =
        DB.pool()
            .query("SELECT count(*) FROM bot_processed_update WHERE" + range)
            .execute()
            .await()
            .atMost(Duration.ofSeconds(5))
            .iterator()
            .next()
            .getLong(0);
    assertEquals(10 + old, left, "10 of this bot's ids within the retention, and the other bot's");
  }
}
