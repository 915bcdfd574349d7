package dev.botrunner.internal.polling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.botrunner.Bot;
import dev.botrunner.example.Counter;
import dev.botrunner.internal.config.BotId;
import dev.botrunner.internal.store.PostgresPendingUpdates;
import dev.botrunner.internal.store.PostgresPollerLock;
import dev.botrunner.internal.store.PostgresSessionStore;
import dev.botrunner.pg.TestDatabase;
import dev.botrunner.pg.TestPostgres;
import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.SentMessage;
import dev.botrunner.testkit.Updates;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Two bots (two tokens, each with its own Bot API) polling at the same time on one PostgreSQL
 * database, with the same chat ids and the same update ids: each has its own poller lock, its own
 * processed-update ids, its own spilled updates and its own sessions, so both answer every update
 * and every chat's counter is exact per bot. A second replica of one bot still stands by.
 */
class TwoBotsOneDatabaseTest {

  /** A second bot; its id is above 2^32, as today's bot ids are. */
  static final String OTHER_TOKEN = "7123456789:AAOtherTestTokn-not_real-9876543210";

  private static final int UPDATES = 600;
  private static final int CHATS = 20;
  private static final long FIRST_CHAT = 31_000;

  /** A chat of its own whose one update is held until the rest are done, so the poller spills. */
  private static final long HELD_CHAT = 30_999;

  private static final int FIRST_UPDATE_ID = 810_000;

  /** One bot's process: its Bot API, its pipeline and its pool on the shared database. */
  private static final class BotProcess {
    final FakeBotApi api;
    final BotId id;
    final Pool pool;
    final PostgresSessionStore store;
    final Pipeline pipeline;
    final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    final CountDownLatch release = new CountDownLatch(1);

    BotProcess(FakeBotApi api, TestDatabase db) {
      this.api = api;
      this.id = BotId.ofToken(api.token());
      this.pool = TestPostgres.pool(db.vertx(), TestPostgres.options(), 8);
      this.store = new PostgresSessionStore(pool, id, null);
      this.pipeline =
          Pipeline.with(api)
              .concurrency(8)
              .maxWaiting(2_000)
              .bot(this::configure)
              .store(store)
              .poller(
                  poller ->
                      poller
                          .pendingUpdates(new PostgresPendingUpdates(pool, id))
                          .pollerLock(
                              new PostgresPollerLock(db.vertx(), TestPostgres.options(), id),
                              Duration.ofMillis(200)))
              .build();
    }

    /** The demo bot's counter, answered as {@code <n>: <text>}; "hold" waits for the test. */
    private void configure(Bot bot) {
      bot.catchError(error -> errors.add(error.error()));
      bot.on(
          "message:text",
          ctx -> {
            if (ctx.text().equals("hold")) {
              release.await();
            }
            Counter counter = ctx.session().get(Counter.class, Counter::new);
            counter.count++;
            ctx.reply(counter.count + ": " + ctx.text());
          });
    }

    void close() {
      pipeline.close();
      pool.closeAndAwait();
    }
  }

  @Test
  void twoBotsShareOneDatabaseWithoutSharingState() throws Exception {
    try (TestDatabase db = TestDatabase.open(4);
        FakeBotApi apiA = FakeBotApi.start();
        FakeBotApi apiB = FakeBotApi.start(OTHER_TOKEN)) {
      long a = BotId.ofToken(apiA.token()).value();
      long b = BotId.ofToken(apiB.token()).value();
      for (String table : List.of("bot_session", "bot_processed_update", "bot_pending_update")) {
        db.sql("DELETE FROM " + table + " WHERE bot_id IN (" + a + ", " + b + ")");
      }
      // The same updates for both bots: same chats, same update ids.
      List<Update> updates = new ArrayList<>();
      updates.add(Updates.sequence(FIRST_UPDATE_ID).text(HELD_CHAT, HELD_CHAT, "hold"));
      updates.addAll(
          Updates.sequence(FIRST_UPDATE_ID + 1).textsOverChats(UPDATES, FIRST_CHAT, CHATS));

      BotProcess botA = new BotProcess(apiA, db);
      BotProcess botA2 = new BotProcess(apiA, db);
      BotProcess botB = new BotProcess(apiB, db);
      try {
        botA.pipeline.start();
        botB.pipeline.start();
        // A poller is POLLING from its start, before it holds the lock; its first poll shows it
        // won the election.
        await(() -> botA.pipeline.poller.pollCount() > 0, "bot A polls");
        await(() -> botB.pipeline.poller.pollCount() > 0, "bot B polls");
        botA2.pipeline.start();
        await(() -> botA2.pipeline.poller.state() == PollerState.STANDBY, "A's replica waits");

        apiA.enqueue(updates);
        apiB.enqueue(updates);

        // Both bots spill the held update, under the same update id, each in its own row.
        await(() -> pending(db, a, FIRST_UPDATE_ID) && pending(db, b, FIRST_UPDATE_ID), "spills");
        await(() -> apiA.sentMessages().size() == UPDATES, "bot A answers the rest");
        await(() -> apiB.sentMessages().size() == UPDATES, "bot B answers the rest");
        releaseAll(botA, botA2, botB);
        await(() -> apiA.sentMessages().size() == UPDATES + 1, "bot A answers all");
        await(() -> apiB.sentMessages().size() == UPDATES + 1, "bot B answers all");
        await(
            () -> !pending(db, a, FIRST_UPDATE_ID) && !pending(db, b, FIRST_UPDATE_ID),
            "finished spilled updates are removed");

        for (BotProcess bot : List.of(botA, botB)) {
          String name = "bot " + bot.id;
          assertEquals(List.of(), List.copyOf(bot.errors), name + ": no error, no conflict");
          assertEquals(0, bot.pipeline.dispatcher.duplicateCount(), name + ": nothing skipped");
          assertEquals(List.of("1: hold"), texts(bot.api, HELD_CHAT), name);
          assertEquals(1, TestDatabase.demoCount(bot.store, HELD_CHAT), name);
          int perChat = UPDATES / CHATS;
          for (int c = 0; c < CHATS; c++) {
            long chat = FIRST_CHAT + c;
            List<String> texts = texts(bot.api, chat);
            assertEquals(perChat, texts.size(), name + ", chat " + chat);
            for (int n = 0; n < perChat; n++) {
              assertEquals(
                  (n + 1) + ": m" + (c + n * CHATS), texts.get(n), name + ", chat " + chat);
            }
            assertEquals(perChat, TestDatabase.demoCount(bot.store, chat), name + ", " + chat);
          }
        }
        assertEquals(0, botA2.pipeline.poller.pollCount(), "A's standby replica never polled");
        assertEquals(PollerState.STANDBY, botA2.pipeline.poller.state());
        assertEquals(CHATS + 1, sessions(db, a));
        assertEquals(CHATS + 1, sessions(db, b));
      } finally {
        releaseAll(botA, botA2, botB);
        botA.close();
        botA2.close();
        botB.close();
      }
    }
  }

  private static void releaseAll(BotProcess... bots) {
    for (BotProcess bot : bots) {
      bot.release.countDown();
    }
  }

  private static List<String> texts(FakeBotApi api, long chat) {
    return api.sentMessages(chat).stream().map(SentMessage::text).toList();
  }

  private static boolean pending(TestDatabase db, long bot, int updateId) {
    return count(
            db,
            "SELECT count(*) FROM bot_pending_update WHERE bot_id = "
                + bot
                + " AND update_id = "
                + updateId)
        == 1;
  }

  private static long sessions(TestDatabase db, long bot) {
    return count(db, "SELECT count(*) FROM bot_session WHERE bot_id = " + bot);
  }

  private static long count(TestDatabase db, String sql) {
    return db.pool()
        .query(sql)
        .execute()
        .await()
        .atMost(Duration.ofSeconds(10))
        .iterator()
        .next()
        .getLong(0);
  }

  private static void await(BooleanSupplier condition, String what) {
    Awaitility.await(what).atMost(Duration.ofSeconds(60)).until(condition::getAsBoolean);
  }
}
