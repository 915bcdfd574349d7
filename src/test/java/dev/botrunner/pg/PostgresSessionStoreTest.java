package dev.botrunner.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.SessionConflictException;
import dev.botrunner.internal.store.PostgresSessionStore;
import dev.botrunner.internal.store.SchemaMigrations;
import dev.botrunner.internal.store.SessionMetrics;
import dev.botrunner.internal.store.StoredSession;
import dev.botrunner.internal.store.VersionedSession;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The PostgreSQL session store against a real server: versioning, conflicts, TTL, migrations. */
class PostgresSessionStoreTest {

  /** The session type used here. */
  public static class Counter {
    /** The count. */
    public int count;

    /** A second field, so that jsonb's key order and spacing differ from Jackson's. */
    public String note = "n";
  }

  @RegisterExtension static final TestDatabase DB = new TestDatabase(8);

  @BeforeEach
  void empty() {
    DB.sql("DELETE FROM bot_session");
  }

  private static <T> T await(io.smallrye.mutiny.Uni<T> uni) {
    return uni.await().atMost(Duration.ofSeconds(10));
  }

  @Test
  void migrationsApplyOnceAndAreRecorded() {
    assertEquals(
        0, TestPostgres.migrate(TestPostgres.options()), "already applied by TestDatabase");
    long recorded =
        await(
                DB.pool()
                    .query(
                        "SELECT count(*) FROM botrunner_schema_history WHERE success AND type = 'SQL'")
                    .execute())
            .iterator()
            .next()
            .getLong(0);
    assertEquals(SchemaMigrations.SCRIPTS.size(), recorded);
  }

  @Test
  void versionsAndConflicts() {
    assertNull(await(DB.store().read("k")));
    assertEquals(1, await(DB.store().write("k", "{\"count\":1}", 0)));
    assertEquals(2, await(DB.store().write("k", "{\"count\":2}", 1)));
    StoredSession stored = await(DB.store().read("k"));
    assertEquals(2, stored.version());
    assertEquals("{\"count\": 2}", stored.json(), "jsonb normalises the text");

    SessionConflictException stale =
        assertThrows(SessionConflictException.class, () -> await(DB.store().write("k", "{}", 1)));
    assertEquals("k", stale.key());
    assertEquals(1, stale.expectedVersion());
    assertEquals(2, stale.actualVersion());

    SessionConflictException created =
        assertThrows(SessionConflictException.class, () -> await(DB.store().write("k", "{}", 0)));
    assertEquals(0, created.expectedVersion());
    assertEquals(2, created.actualVersion());

    assertThrows(SessionConflictException.class, () -> await(DB.store().delete("k", 1)));
    await(DB.store().delete("k", 2));
    assertNull(await(DB.store().read("k")));
    SessionConflictException gone =
        assertThrows(SessionConflictException.class, () -> await(DB.store().write("k", "{}", 2)));
    assertEquals(0, gone.actualVersion());
  }

  @Test
  void jsonIsStoredAsJsonNotAsAString() {
    await(DB.store().write("k", "{\"count\":7}", 0));
    int count =
        await(
                DB.pool()
                    .preparedQuery("SELECT (data->>'count')::int FROM bot_session WHERE key = $1")
                    .execute(Tuple.of("k")))
            .iterator()
            .next()
            .getInteger(0);
    assertEquals(7, count);
  }

  /**
   * jsonb returns {@code {"note": "n", "count": 1}}: an unchanged session must not be rewritten.
   */
  @Test
  void unchangedSessionIsNotRewrittenDespiteJsonbNormalisation() {
    SessionMetrics metrics = new SessionMetrics();
    VersionedSession first = new VersionedSession("k", DB.store(), metrics);
    first.get(Counter.class, Counter::new).count++;
    await(first.commit());
    VersionedSession second = new VersionedSession("k", DB.store(), metrics);
    assertEquals(1, second.get(Counter.class, Counter::new).count);
    await(second.commit());
    assertEquals(1, metrics.writes());
    assertEquals(1, metrics.skippedWrites());
    assertEquals(1, await(DB.store().read("k")).version());
  }

  /**
   * The reference's write-after-read hazard: two updates of one chat read the same session, both
   * change it; the second write is rejected instead of silently overwriting the first.
   */
  @Test
  void writeAfterReadHazardIsDetected() {
    VersionedSession setup = new VersionedSession("chat", DB.store());
    setup.get(Counter.class, Counter::new).count = 5;
    await(setup.commit());

    VersionedSession first = new VersionedSession("chat", DB.store());
    VersionedSession second = new VersionedSession("chat", DB.store());
    first.get(Counter.class, Counter::new).count++;
    second.get(Counter.class, Counter::new).count++;
    await(first.commit());
    SessionConflictException conflict =
        assertThrows(SessionConflictException.class, () -> await(second.commit()));
    assertEquals(1, conflict.expectedVersion());
    assertEquals(2, conflict.actualVersion());
    assertTrue(conflict.getMessage().contains("was changed by another writer"));
    StoredSession kept = await(DB.store().read("chat"));
    assertEquals(2, kept.version());
    assertTrue(kept.json().contains("\"count\": 6"), kept.json());
  }

  /**
   * Two store instances with their own pools (two replicas) increment one counter from many
   * threads: conflicts happen, and the final counter equals the number of successful writes (none
   * lost).
   */
  @Test
  void twoReplicasWritingOneKeyLoseNoWrite() throws Exception {
    Pool otherPool = TestPostgres.pool(DB.vertx(), TestPostgres.options(), 8);
    try {
      PostgresSessionStore[] replicas = {
        DB.store(), new PostgresSessionStore(otherPool, TestDatabase.BOT, null)
      };
      int threads = 16;
      int attemptsEach = 40;
      AtomicInteger successes = new AtomicInteger();
      AtomicInteger conflicts = new AtomicInteger();
      ExecutorService executor = Executors.newFixedThreadPool(threads);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        PostgresSessionStore replica = replicas[t % 2];
        futures.add(
            executor.submit(
                () -> {
                  go.await();
                  for (int i = 0; i < attemptsEach; i++) {
                    VersionedSession session = new VersionedSession("hot", replica);
                    session.get(Counter.class, Counter::new).count++;
                    try {
                      await(session.commit());
                      successes.incrementAndGet();
                    } catch (SessionConflictException e) {
                      conflicts.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : futures) {
        f.get(2, TimeUnit.MINUTES);
      }
      executor.shutdown();
      assertEquals(threads * attemptsEach, successes.get() + conflicts.get());
      assertTrue(conflicts.get() > 0, "concurrent writers must collide at least once");
      VersionedSession check = new VersionedSession("hot", DB.store());
      assertEquals(successes.get(), check.get(Counter.class, Counter::new).count, "no lost write");
      assertEquals(successes.get(), await(DB.store().read("hot")).version());
    } finally {
      otherPool.closeAndAwait();
    }
  }

  @Test
  void expiredSessionReadsAsAbsentAndIsSwept() {
    PostgresSessionStore withTtl =
        new PostgresSessionStore(DB.pool(), TestDatabase.BOT, Duration.ofHours(1));
    await(withTtl.write("old", "{\"count\":1}", 0));
    await(withTtl.write("live", "{\"count\":1}", 0));
    await(DB.store().write("forever", "{\"count\":1}", 0));
    long expiresIn =
        await(
                DB.pool()
                    .query(
                        "SELECT extract(epoch FROM expires_at - now())::bigint FROM bot_session"
                            + " WHERE key = 'live'")
                    .execute())
            .iterator()
            .next()
            .getLong(0);
    assertTrue(expiresIn > 3500 && expiresIn <= 3600, "expires in an hour: " + expiresIn);

    DB.sql("UPDATE bot_session SET expires_at = now() - interval '1 second' WHERE key = 'old'");
    assertNull(await(withTtl.read("old")), "expired reads as absent");
    assertEquals(1, await(withTtl.read("live")).version());

    assertEquals(1, await(withTtl.sweepExpired()));
    assertEquals(0, await(withTtl.sweepExpired()));
    long rows =
        await(DB.pool().query("SELECT count(*) FROM bot_session").execute())
            .iterator()
            .next()
            .getLong(0);
    assertEquals(2, rows, "live and forever remain");
  }

  @Test
  void anExpiredRowNotYetSweptCanBeReplaced() {
    PostgresSessionStore withTtl =
        new PostgresSessionStore(DB.pool(), TestDatabase.BOT, Duration.ofHours(1));
    await(withTtl.write("k", "{\"count\":1}", 0));
    DB.sql("UPDATE bot_session SET expires_at = now() - interval '1 second'");
    VersionedSession session = new VersionedSession("k", withTtl);
    assertEquals(0, session.get(Counter.class, Counter::new).count, "starts fresh");
    session.get(Counter.class, Counter::new).count = 1;
    await(session.commit());
    assertTrue(await(withTtl.read("k")).json().contains("\"count\": 1"));
  }

  @Test
  void sweeperWorksInBatchesOnItsOwnBotsRows() {
    long other = TestDatabase.BOT.value() + 1;
    DB.sql(
        "INSERT INTO bot_session (bot_id, key, data, version, updated_at, expires_at)"
            + " SELECT bot, 'x' || i, '{}', 1, now(), now() - interval '1 minute'"
            + " FROM generate_series(1, 2500) i, (VALUES ("
            + TestDatabase.BOT.value()
            + "), ("
            + other
            + ")) b(bot)");
    assertEquals(2500, await(DB.store().sweepExpired()));
    assertEquals(2500, DB.rows("bot_session"), "the other bot's expired rows are its own to sweep");
  }

  @Test
  void storeFailuresAreReportedClearly() {
    Pool closed = TestPostgres.pool(DB.vertx(), TestPostgres.optionsOf(1), 1);
    try {
      PostgresSessionStore broken = new PostgresSessionStore(closed, TestDatabase.BOT, null);
      Exception e = assertThrows(Exception.class, () -> await(broken.read("k")));
      assertInstanceOf(dev.botrunner.internal.store.SessionStoreException.class, e);
      assertTrue(e.getMessage().startsWith("PostgreSQL session store: reading session k failed"));
    } finally {
      closed.closeAndAwait();
    }
  }
}
