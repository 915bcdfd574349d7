package dev.botrunner.internal.polling;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.Bot;
import dev.botrunner.example.Counter;
import dev.botrunner.internal.dispatch.Dispatcher;
import dev.botrunner.internal.dispatch.Outcome;
import dev.botrunner.internal.store.PendingUpdates;
import dev.botrunner.internal.store.PostgresPendingUpdates;
import dev.botrunner.internal.store.SessionStore;
import dev.botrunner.internal.store.SessionStoreException;
import dev.botrunner.internal.store.VersionedSession;
import dev.botrunner.pg.TestDatabase;
import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.UpdateFactory;
import dev.botrunner.testkit.Updates;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Durable dedupe and saved updates with the PostgreSQL store: a redelivered update whose session
 * write committed is skipped, one whose write did not commit runs again, and an update confirmed to
 * Telegram before it finished (saved with its batch) survives a crash.
 */
class PostgresDeliveryTest {

  @RegisterExtension static final TestDatabase DB = new TestDatabase(8);
  static final UpdateFactory IDS = Updates.sequence(700_000);

  @BeforeEach
  void clean() {
    DB.sql(
        "DELETE FROM bot_session; DELETE FROM bot_processed_update;"
            + " DELETE FROM bot_pending_update");
  }

  /** The demo bot's counter: one increment per message, in the chat's session. */
  static void counter(Bot bot) {
    bot.use(ctx -> ctx.session().get(Counter.class, Counter::new).count++);
  }

  static int count(long chat) {
    return new VersionedSession(Long.toString(chat), DB.store())
        .get(Counter.class, Counter::new)
        .count;
  }

  @Test
  void pollingRedeliveryOfACommittedUpdateIsSkipped() throws Exception {
    long chat = 4_001;
    Update update = IDS.text(chat, chat, "hello");
    try (FakeBotApi fake = FakeBotApi.start()) {
      fake.enqueue(update);
      try (Pipeline first = counting(fake, DB.store())) {
        awaitDone(first.dispatcher, 1);
      }
    }
    assertEquals(1, count(chat));
    // Telegram delivers it again (the process died before the offset confirmed it). A fresh fake:
    // the first one's last long poll (offset past the update) would confirm a re-queued copy.
    try (FakeBotApi fake = FakeBotApi.start()) {
      fake.enqueue(update);
      try (Pipeline second = counting(fake, DB.store())) {
        awaitDone(second.dispatcher, 1);
        assertEquals(1, second.dispatcher.duplicateCount());
      }
      assertEquals(1, count(chat), "the session effect happened once");
    }
  }

  @Test
  void anUpdateWhoseWriteDidNotCommitRunsAgain() throws Exception {
    long chat = 4_002;
    Update update = IDS.text(chat, chat, "hello");
    SessionStore failingWrites =
        new SessionStore() {
          @Override
          public Uni<dev.botrunner.internal.store.StoredSession> read(String key) {
            return DB.store().read(key);
          }

          @Override
          public Uni<Long> write(String key, String json, long expectedVersion) {
            return Uni.createFrom().failure(new SessionStoreException("database gone", null));
          }

          @Override
          public Uni<Long> write(String key, String json, long expectedVersion, int updateId) {
            return write(key, json, expectedVersion);
          }

          @Override
          public Uni<Void> delete(String key, long expectedVersion) {
            return DB.store().delete(key, expectedVersion);
          }

          @Override
          public Uni<Boolean> isProcessed(int updateId) {
            return DB.store().isProcessed(updateId);
          }
        };
    try (FakeBotApi fake = FakeBotApi.start()) {
      fake.enqueue(update);
      try (Pipeline first = counting(fake, failingWrites)) {
        awaitFailed(first.dispatcher, 1);
      }
    }
    assertEquals(0, count(chat));
    try (FakeBotApi fake = FakeBotApi.start()) {
      fake.enqueue(update);
      try (Pipeline second = counting(fake, DB.store())) {
        awaitDone(second.dispatcher, 1);
        assertEquals(0, second.dispatcher.duplicateCount());
      }
      assertEquals(1, count(chat), "the uncommitted update ran again");
    }
  }

  /**
   * The webhook hands every accepted post to {@link Dispatcher#dispatch}; a re-sent post that
   * reaches a new process (or another replica) is checked there against {@code
   * bot_processed_update}, and two runs racing on different replicas commit once.
   */
  @Test
  void aRedeliveredWebhookUpdateThatCommittedIsNotAppliedTwice() throws Exception {
    long chat = 4_003;
    Update update = IDS.text(chat, chat, "hello");
    CountDownLatch bothRead = new CountDownLatch(2);
    Bot slow = new Bot();
    slow.use(
        ctx -> {
          ctx.session().get(Counter.class, Counter::new).count++;
          bothRead.countDown();
          bothRead.await(10, TimeUnit.SECONDS);
        });
    ExecutorService workers = Executors.newCachedThreadPool();
    Dispatcher replicaA = dispatcher(slow, workers);
    Dispatcher replicaB = dispatcher(slow, workers);
    try {
      // The same post reaches two replicas at once: both run, one commits, the other's write
      // rolls back (its session change was based on the same read, so it is a conflict or a
      // duplicate; either way the effect happens once).
      CompletableFuture<Outcome> a = replicaA.dispatch(update).toCompletableFuture();
      CompletableFuture<Outcome> b = replicaB.dispatch(update).toCompletableFuture();
      a.get(20, TimeUnit.SECONDS);
      b.get(20, TimeUnit.SECONDS);
      assertEquals(1, count(chat));
      // Re-sent later to a fresh process: skipped.
      Dispatcher restarted = dispatcher(slow, workers);
      assertEquals(
          Outcome.DONE, restarted.dispatch(update).toCompletableFuture().get(20, TimeUnit.SECONDS));
      assertEquals(1, restarted.duplicateCount());
      assertEquals(1, count(chat), "the session effect happened once");
    } finally {
      workers.shutdownNow();
    }
  }

  @Test
  void aSavedUpdateRunsAgainAfterACrash() throws Exception {
    long stuckChat = 4_004;
    List<Update> updates = new ArrayList<>();
    Update stuck = IDS.text(stuckChat, stuckChat, "slow");
    updates.add(stuck);
    for (int i = 0; i < 20; i++) {
      long chat = 5_000 + i;
      updates.add(IDS.text(chat, chat, "m" + i));
    }
    CountDownLatch never = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean crashed =
        new java.util.concurrent.atomic.AtomicBoolean();
    PendingUpdates durable = new PostgresPendingUpdates(DB.pool(), TestDatabase.BOT);
    // A crashed process removes nothing: the late end of the stuck update must not count.
    PendingUpdates firstProcess =
        new PendingUpdates() {
          @Override
          public boolean durable() {
            return true;
          }

          @Override
          public Uni<Void> save(List<Update> list) {
            return durable.save(list);
          }

          @Override
          public Uni<Void> remove(int updateId) {
            return crashed.get() ? Uni.createFrom().voidItem() : durable.remove(updateId);
          }

          @Override
          public Uni<List<Update>> loadAll() {
            return durable.loadAll();
          }
        };
    AtomicInteger firstRunStarted = new AtomicInteger();
    try (FakeBotApi fake = FakeBotApi.start()) {
      fake.enqueue(updates);
      try (Pipeline first =
          Pipeline.with(fake)
              .concurrency(4)
              .bot(
                  bot ->
                      bot.use(
                          ctx -> {
                            if (ctx.chatId() == stuckChat) {
                              firstRunStarted.incrementAndGet();
                              never.await(20, TimeUnit.SECONDS); // "crashes" before finishing
                              throw new IllegalStateException("crashed");
                            }
                            ctx.session().get(Counter.class, Counter::new).count++;
                          }))
              .store(DB.store())
              .poller(poller -> poller.pendingUpdates(firstProcess))
              .build()) {
        first.start();
        awaitDone(first.dispatcher, 20);
        // Saved with its batch before the next poll confirmed it; the others' rows are removed
        // once they finished, in one delete.
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> DB.rows("bot_pending_update") == 1); // the unfinished update's row
        assertEquals(
            List.of(stuck.getUpdateId()),
            durable.loadAll().await().indefinitely().stream().map(Update::getUpdateId).toList());
        assertTrue(first.poller.spilledCount() >= 1, "confirmed before it finished");
        // The offset has passed it: Telegram will not deliver it again.
        assertTrue(first.poller.offset() > stuck.getUpdateId());
        crashed.set(true);
        first.poller.stop(); // crash: no drain
      }
      never.countDown();
      assertEquals(1, firstRunStarted.get());
      try (Pipeline second =
          Pipeline.with(fake)
              .concurrency(4)
              .bot(PostgresDeliveryTest::counter)
              .store(DB.store())
              .poller(
                  poller ->
                      poller.pendingUpdates(
                          new PostgresPendingUpdates(DB.pool(), TestDatabase.BOT)))
              .build()) {
        second.start();
        awaitDone(second.dispatcher, 1);
        Awaitility.await("removed once it finished")
            .atMost(Duration.ofSeconds(10))
            .until(() -> DB.rows("bot_pending_update") == 0);
      }
      assertEquals(1, count(stuckChat), "the saved update ran again in the next process");
    }
  }

  private static Dispatcher dispatcher(Bot bot, ExecutorService workers) {
    return Dispatcher.builder(bot).concurrency(8).sessions(DB.store()).workers(workers).build();
  }

  private static void awaitDone(Dispatcher dispatcher, long count) {
    Awaitility.await("done: " + count)
        .atMost(Duration.ofSeconds(30))
        .until(() -> dispatcher.doneCount() >= count);
  }

  private static void awaitFailed(Dispatcher dispatcher, long count) {
    Awaitility.await("failed: " + count)
        .atMost(Duration.ofSeconds(30))
        .until(() -> dispatcher.failedCount() >= count);
  }

  /** A started pipeline that counts each chat's messages in its session, in {@code store}. */
  private static Pipeline counting(FakeBotApi fake, SessionStore store) {
    return Pipeline.with(fake)
        .concurrency(4)
        .bot(PostgresDeliveryTest::counter)
        .store(store)
        .build()
        .start();
  }
}
