package dev.botrunner.internal.polling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.botrunner.example.Counter;
import dev.botrunner.internal.store.PostgresPendingUpdates;
import dev.botrunner.internal.store.PostgresPollerLock;
import dev.botrunner.internal.store.PostgresSessionStore;
import dev.botrunner.pg.TestDatabase;
import dev.botrunner.pg.TestPostgres;
import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.UpdateFactory;
import dev.botrunner.testkit.Updates;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Two replicas in polling mode against one Bot API and one PostgreSQL: only the holder of the
 * advisory lock polls; when its connection dies the other, waiting in PostgreSQL's queue for the
 * lock, takes over at once; nothing is lost and every chat's counter is exact.
 */
class OneActivePollerTest {

  private static final int CHATS = 30;
  private static final long FIRST_CHAT = 9_000;

  /**
   * Far longer than a handover may take here: a standby that took over within {@link #HANDOVER} was
   * told by PostgreSQL, not woken by a retry timer.
   */
  private static final Duration LOCK_RETRY = Duration.ofSeconds(30);

  /** How soon the standby polls once the leader's session is gone (a round trip, in fact). */
  private static final Duration HANDOVER = Duration.ofSeconds(2);

  @Test
  void onlyTheLockHolderPollsAndTheOtherTakesOver() throws Exception {
    try (TestDatabase db = TestDatabase.open(8);
        FakeBotApi fake = FakeBotApi.start()) {
      PostgresSessionStore store = db.store();
      Pool pool = db.pool();
      Vertx vertx = db.vertx();
      db.sql(
          "DELETE FROM bot_session WHERE key LIKE '90%'; DELETE FROM bot_processed_update;"
              + " DELETE FROM bot_pending_update");
      UpdateFactory ids = Updates.sequence(900_000);
      try (Pipeline a = replica(fake, store, pool, vertx);
          Pipeline b = replica(fake, store, pool, vertx)) {
        a.start();
        await(() -> a.poller.pollCount() > 0, "a polls");
        b.start();
        await(() -> b.poller.state() == PollerState.STANDBY, "b stands by");
        fake.enqueue(ids.textsOverChats(300, FIRST_CHAT, CHATS));
        await(() -> TestDatabase.demoTotal(store, FIRST_CHAT, CHATS) == 300, "first 300 counted");
        assertEquals(0, b.poller.pollCount(), "the standby replica never called getUpdates");
        assertEquals(PollerState.POLLING, a.poller.state());

        // The leader's lock connection dies (crash, network): PostgreSQL releases its lock.
        fake.enqueue(ids.textsOverChats(300, FIRST_CHAT, CHATS));
        db.sql(
            "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
                + " AND granted AND pid <> pg_backend_pid()");
        Awaitility.await("b takes over")
            .atMost(HANDOVER)
            .until(() -> b.poller.state() == PollerState.POLLING);
        await(() -> a.poller.state() == PollerState.STANDBY, "a stands by");
        long aPolls = a.poller.pollCount();
        fake.enqueue(ids.textsOverChats(300, FIRST_CHAT, CHATS));
        await(() -> TestDatabase.demoTotal(store, FIRST_CHAT, CHATS) == 900, "all 900 counted");
        assertEquals(aPolls, a.poller.pollCount(), "the old leader stopped polling");
        for (int c = 0; c < CHATS; c++) {
          assertEquals(
              900 / CHATS,
              TestDatabase.demoCount(store, FIRST_CHAT + c),
              "chat " + (FIRST_CHAT + c));
        }
      }
    }
  }

  private static Pipeline replica(FakeBotApi fake, PostgresSessionStore store, Pool pool, Vertx v) {
    Pipeline p =
        Pipeline.with(fake)
            .concurrency(8)
            .maxWaiting(1000)
            .bot(bot -> bot.use(ctx -> ctx.session().get(Counter.class, Counter::new).count++))
            .store(store)
            .poller(
                poller ->
                    poller
                        .pendingUpdates(new PostgresPendingUpdates(pool, TestDatabase.BOT))
                        .pollerLock(
                            new PostgresPollerLock(v, TestPostgres.options(), TestDatabase.BOT),
                            LOCK_RETRY))
            .build();
    return p;
  }

  private static void await(BooleanSupplier condition, String what) {
    Awaitility.await(what).atMost(Duration.ofSeconds(60)).until(condition::getAsBoolean);
  }
}
