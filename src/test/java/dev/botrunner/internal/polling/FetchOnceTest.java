package dev.botrunner.internal.polling;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.botrunner.Bot;
import dev.botrunner.example.Counter;
import dev.botrunner.internal.store.PostgresPendingUpdates;
import dev.botrunner.pg.TestDatabase;
import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.Updates;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * With PostgreSQL, each update is fetched from Telegram once: a burst into a few hot chats whose
 * handler takes a few milliseconds leaves most fetched updates waiting for their chat, and yet
 * {@code getUpdates} hands out none of them twice (the watermark alone re-fetched most of them with
 * every batch, issue 17). Every update still runs, each chat's counter is exact, and nothing is
 * left in {@code bot_pending_update} after the drain.
 */
class FetchOnceTest {

  @RegisterExtension static final TestDatabase DB = new TestDatabase(8);

  private static final int CHATS = 10;
  private static final int TOTAL = 2_000;
  private static final long FIRST_CHAT = 61_000;

  /** Keeps a broken test from hanging the build; not a speed requirement. */
  private static final Duration GUARD = Duration.ofSeconds(60);

  /**
   * A waiting queue smaller than the burst: the poller then fetches as room frees up, a few updates
   * at a time, while the hot chats' oldest fetched updates are still waiting.
   */
  private static final int MAX_WAITING = 200;

  /** The handler's own work per update: enough to keep the hot chats' queues long. */
  private static final long WORK_MILLIS = 3;

  @BeforeEach
  void clean() {
    DB.sql(
        "DELETE FROM bot_session; DELETE FROM bot_processed_update;"
            + " DELETE FROM bot_pending_update");
  }

  private static void slowCounter(Bot bot) {
    bot.use(
        ctx -> {
          Thread.sleep(WORK_MILLIS);
          ctx.session().get(Counter.class, Counter::new).count++;
        });
  }

  @Test
  void aBurstIntoHotChatsIsFetchedOnceAndRunsWhole() throws Exception {
    List<Update> updates = Updates.sequence(3_000_000).textsOverChats(TOTAL, FIRST_CHAT, CHATS);
    try (FakeBotApi fake = FakeBotApi.start()) {
      fake.enqueue(updates);
      try (Pipeline pipeline =
          Pipeline.with(fake)
              .concurrency(500)
              .maxWaiting(MAX_WAITING)
              .bot(FetchOnceTest::slowCounter)
              .store(DB.store())
              .poller(
                  poller ->
                      poller.pendingUpdates(
                          new PostgresPendingUpdates(DB.pool(), TestDatabase.BOT)))
              .build()) {
        long started = System.nanoTime();
        pipeline.start();
        awaitDone(pipeline, TOTAL);
        System.out.printf("fetch once: done in %d ms%n", (System.nanoTime() - started) / 1_000_000);
        assertEquals(0, pipeline.poller.drain(Duration.ofSeconds(10)), "nothing left running");
      }
      Map<Integer, Integer> deliveries = fake.deliveries();
      int handedOut = deliveries.values().stream().mapToInt(Integer::intValue).sum();
      int most = deliveries.values().stream().mapToInt(Integer::intValue).max().orElse(0);
      System.out.printf(
          "fetch once: %d updates handed out %d times in %d getUpdates calls (at most %d each)%n",
          TOTAL, handedOut, fake.getUpdatesCalls().size(), most);
      assertEquals(TOTAL, deliveries.size(), "every update was handed out");
      assertEquals(1, most, "no update was handed out twice: " + handedOut + " deliveries");
      assertEquals(0, fake.pendingUpdates(), "every update was confirmed");
    }
    for (int c = 0; c < CHATS; c++) {
      assertEquals(TOTAL / CHATS, TestDatabase.demoCount(DB.store(), FIRST_CHAT + c), "chat " + c);
    }
    assertEquals(0, DB.rows("bot_pending_update"), "finished updates' rows were removed");
  }

  /** Waits until {@code count} updates are done; none may fail. */
  static void awaitDone(Pipeline pipeline, long count) {
    await().atMost(GUARD).until(() -> pipeline.dispatcher.doneCount() >= count);
    assertEquals(0, pipeline.dispatcher.failedCount(), "none failed");
  }
}
