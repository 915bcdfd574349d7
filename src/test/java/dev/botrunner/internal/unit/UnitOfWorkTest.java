package dev.botrunner.internal.unit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.Bot;
import dev.botrunner.example.Counter;
import dev.botrunner.internal.client.TelegramClient;
import dev.botrunner.internal.dispatch.DispatchAll;
import dev.botrunner.internal.dispatch.Dispatcher;
import dev.botrunner.internal.dispatch.EventLoopStarts;
import dev.botrunner.internal.dispatch.Outcome;
import dev.botrunner.internal.store.ConflictPolicy;
import dev.botrunner.internal.store.SessionMetrics;
import dev.botrunner.internal.store.VersionedSession;
import dev.botrunner.pg.TestDatabase;
import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.SentMessage;
import dev.botrunner.testkit.UpdateFactory;
import dev.botrunner.testkit.Updates;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Units of work through the real dispatcher, against real PostgreSQL and the fake Bot API: the
 * bot's rows, the session and the processed mark commit together or not at all, a conflict rolls
 * the bot's rows back before a retry, and replies made inside a unit go out only after its commit.
 * Chats 6,500,000+.
 */
class UnitOfWorkTest {

  /** Where middleware starts: the two BOT_MIDDLEWARE_THREAD settings. */
  enum Thread {
    WORKER,
    EVENT_LOOP
  }

  private static final long CHAT = 6_500_000;

  @RegisterExtension static final TestDatabase DB = new TestDatabase(16);

  static FakeBotApi fake;
  static TelegramClient client;

  ExecutorService workers;
  SessionMetrics metrics;
  Queue<Throwable> errors;
  Dispatcher dispatcher;

  /** Runs of each update's middleware, by update id. */
  final Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();

  @BeforeAll
  static void startFake() {
    fake = FakeBotApi.start();
    client = TelegramClient.builder(DB.vertx(), fake.baseUrl(), FakeBotApi.TOKEN).build();
  }

  @AfterAll
  static void stopFake() {
    client.close();
    fake.close();
  }

  @BeforeEach
  void setUp() {
    DB.sql(
        "CREATE TABLE IF NOT EXISTS unit_order (update_id bigint, chat bigint, item text);"
            + " DELETE FROM unit_order; DELETE FROM bot_outbox; DELETE FROM bot_session;"
            + " DELETE FROM bot_processed_update");
    fake.reset();
    workers = Executors.newFixedThreadPool(8);
    metrics = new SessionMetrics();
    errors = new ConcurrentLinkedQueue<>();
  }

  @AfterEach
  void tearDown() {
    if (dispatcher != null) {
      dispatcher.close();
    }
    workers.shutdownNow();
  }

  /**
   * "/order x" (reactive middleware) and "/border x" (a blocking handler) insert a row in a unit,
   * count it in the session and reply; "/fail x" inserts, then throws; "/clash x" inserts, then has
   * another writer bump the session's version on its first run only.
   */
  private Bot shop() {
    Bot bot = new Bot();
    bot.catchError(error -> errors.add(error.error()));
    bot.command(
        "order",
        (ctx, next) -> {
          runs.computeIfAbsent(ctx.updateId(), id -> new AtomicInteger()).incrementAndGet();
          return insert(ctx.updateId(), ctx.chatId(), ctx.match(), ctx)
              .chain(() -> ctx.session().load(Counter.class, Counter::new))
              .invoke(counter -> ctx.reply("Ordered " + ctx.match() + " #" + ++counter.count))
              .replaceWithVoid();
        });
    bot.command(
        "border",
        ctx -> {
          runs.computeIfAbsent(ctx.updateId(), id -> new AtomicInteger()).incrementAndGet();
          insert(ctx.updateId(), ctx.chatId(), ctx.match(), ctx).await().indefinitely();
          Counter counter = ctx.session().get(Counter.class, Counter::new);
          ctx.reply("Ordered " + ctx.match() + " #" + ++counter.count);
        });
    bot.command(
        "fail",
        (ctx, next) ->
            insert(ctx.updateId(), ctx.chatId(), ctx.match(), ctx)
                .invoke(() -> ctx.reply("never sent"))
                .chain(() -> Uni.createFrom().failure(new IllegalStateException("boom"))));
    bot.command(
        "clash",
        (ctx, next) -> {
          int run =
              runs.computeIfAbsent(ctx.updateId(), id -> new AtomicInteger()).incrementAndGet();
          return insert(ctx.updateId(), ctx.chatId(), ctx.match(), ctx)
              .chain(() -> ctx.session().load(Counter.class, Counter::new))
              .call(
                  counter ->
                      run == 1
                          ? DB.pool()
                              .preparedQuery(
                                  "UPDATE bot_session SET version = version + 1 WHERE key = $1")
                              .execute(Tuple.of(Long.toString(ctx.chatId())))
                          : Uni.createFrom().voidItem())
              .invoke(
                  counter ->
                      ctx.reply("Ordered " + ctx.match() + " #" + ++counter.count + " run " + run))
              .replaceWithVoid();
        });
    return bot;
  }

  private static Uni<Void> insert(
      int updateId, long chat, String item, dev.botrunner.BotContext ctx) {
    return ctx.transaction(
        conn ->
            conn.preparedQuery("INSERT INTO unit_order (update_id, chat, item) VALUES ($1, $2, $3)")
                .execute(Tuple.of((long) updateId, chat, item.strip()))
                .replaceWithVoid());
  }

  private Dispatcher dispatcher(Thread thread, ConflictPolicy policy) {
    dispatcher =
        Dispatcher.builder(shop())
            .concurrency(16)
            .api(client)
            .sessions(DB.store())
            .workers(
                thread == Thread.EVENT_LOOP
                    ? new EventLoopStarts(DB.vertx().getDelegate())
                    : workers)
            .blocking(workers)
            .sessionMetrics(metrics)
            .onConflict(policy)
            .build();
    dispatcher.setVertx(DB.vertx().getDelegate());
    return dispatcher;
  }

  private static List<Outcome> runAll(Dispatcher dispatcher, List<Update> updates) {
    return DispatchAll.run(dispatcher, updates, Duration.ofMinutes(2));
  }

  private static int counter(long chat) {
    return new VersionedSession(Long.toString(chat), DB.store())
        .get(Counter.class, Counter::new)
        .count;
  }

  private static List<String> replies(long chat) {
    return fake.sentMessages(chat).stream().map(SentMessage::text).toList();
  }

  private static long orders(long chat) {
    return DB.pool()
        .preparedQuery("SELECT count(*) AS n FROM unit_order WHERE chat = $1")
        .execute(Tuple.of(chat))
        .await()
        .atMost(Duration.ofSeconds(10))
        .iterator()
        .next()
        .getLong("n");
  }

  @ParameterizedTest
  @EnumSource(Thread.class)
  void reactiveAndBlockingHandlersCommitRowsSessionAndRepliesTogether(Thread thread) {
    Dispatcher d = dispatcher(thread, ConflictPolicy.FAIL);
    UpdateFactory updates = Updates.sequence(1);
    List<Update> batch = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      long chat = CHAT + (i % 4);
      batch.add(updates.text(chat, chat, (i % 2 == 0 ? "/order" : "/border") + " tea" + i));
    }
    List<Outcome> outcomes = runAll(d, batch);
    assertTrue(outcomes.stream().allMatch(o -> o == Outcome.DONE), outcomes + " " + errors);
    for (int c = 0; c < 4; c++) {
      long chat = CHAT + c;
      assertEquals(5, orders(chat), "rows of chat " + chat);
      assertEquals(5, counter(chat), "session of chat " + chat);
      List<String> replies = replies(chat);
      assertEquals(5, replies.size(), replies.toString());
      for (int n = 1; n <= 5; n++) {
        assertTrue(replies.get(n - 1).endsWith("#" + n), replies.toString());
      }
    }
    assertEquals(20, DB.rows("bot_processed_update"));
    assertEquals(0, DB.rows("bot_outbox"), "every sent call's row deleted");
  }

  @ParameterizedTest
  @EnumSource(Thread.class)
  void aFailingHandlerLeavesNoRowNoMarkAndNoReply(Thread thread) {
    Dispatcher d = dispatcher(thread, ConflictPolicy.FAIL);
    long chat = CHAT + 10;
    List<Outcome> outcomes = runAll(d, List.of(Updates.sequence(1).text(chat, chat, "/fail x")));
    assertEquals(List.of(Outcome.FAILED), outcomes);
    assertEquals(0, orders(chat));
    assertEquals(List.of(), replies(chat));
    assertEquals(0, DB.rows("bot_processed_update"), "not marked: a redelivery runs it again");
    assertEquals(0, DB.rows("bot_outbox"));
    assertEquals(1, errors.size());
    assertInstanceOf(IllegalStateException.class, errors.peek());
  }

  /** A forced version conflict with retry: the order is placed once, announced once. */
  @RepeatedTest(3)
  void aConflictRollsBackTheRowAndTheRetryPlacesItOnce() {
    for (Thread thread : Thread.values()) {
      setUpAgain();
      Dispatcher d = dispatcher(thread, ConflictPolicy.retry(3));
      long chat = CHAT + 20;
      UpdateFactory updates = Updates.sequence(1);
      runAll(d, List.of(updates.text(chat, chat, "/order first")));
      Update clash = updates.text(chat, chat, "/clash second");
      assertEquals(List.of(Outcome.DONE), runAll(d, List.of(clash)), errors.toString());
      assertEquals(2, runs.get(clash.getUpdateId()).get(), "ran twice: the conflict, the retry");
      assertEquals(1, metrics.conflicts());
      assertEquals(2, orders(chat), "the first run's row rolled back");
      assertEquals(2, counter(chat));
      assertEquals(List.of("Ordered first #1", "Ordered second #2 run 2"), replies(chat));
      dispatcher.close();
      dispatcher = null;
    }
  }

  @Test
  void aConflictWithFailRollsBackAndReports() {
    Dispatcher d = dispatcher(Thread.WORKER, ConflictPolicy.FAIL);
    long chat = CHAT + 30;
    UpdateFactory updates = Updates.sequence(1);
    runAll(d, List.of(updates.text(chat, chat, "/order first")));
    assertEquals(
        List.of(Outcome.FAILED), runAll(d, List.of(updates.text(chat, chat, "/clash second"))));
    assertEquals(1, orders(chat));
    assertEquals(List.of("Ordered first #1"), replies(chat));
    assertEquals(1, errors.size(), errors.toString());
  }

  /**
   * More open units than the pool has connections: each unit holds one until its update's end, so
   * its session is read on that connection, never on another one it would wait for (with two
   * connections and a unit per chat in twenty chats, reads from the pool would wait for ever).
   */
  @Test
  void moreUnitsThanConnectionsDoNotWaitForEachOther() {
    try (TestDatabase small = TestDatabase.open(2)) {
      dispatcher =
          Dispatcher.builder(shop())
              .concurrency(64)
              .api(client)
              .sessions(small.store())
              .workers(workers)
              .blocking(workers)
              .sessionMetrics(metrics)
              .build();
      dispatcher.setVertx(small.vertx().getDelegate());
      UpdateFactory updates = Updates.sequence(1);
      List<Update> batch = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        long chat = CHAT + 100 + (i % 20);
        batch.add(updates.text(chat, chat, "/order tea" + i));
      }
      List<Outcome> outcomes = runAll(dispatcher, batch);
      assertTrue(outcomes.stream().allMatch(o -> o == Outcome.DONE), outcomes + " " + errors);
      for (int c = 0; c < 20; c++) {
        assertEquals(3, orders(CHAT + 100 + c));
        assertEquals(3, counter(CHAT + 100 + c));
      }
      dispatcher.close();
      dispatcher = null;
    }
  }

  /**
   * Rows a dead process left (lease over) are sent by the sweep, once each even with two sweeps at
   * once, in the order they were made; a row still under lease is left alone. Three calls per
   * update, so that a claim by rows would split an update between the two sweeps.
   */
  /**
   * Updates a dead process left in the outbox, with {@link #CALLS_EACH} calls each: more than one
   * sweep claims per statement ({@link Outbox#SWEEP_BATCH}), so a sweep goes on after a full batch.
   */
  private static final int UPDATES_LEFT = Outbox.SWEEP_BATCH + 50;

  private static final int CALLS_EACH = 3;

  @RepeatedTest(3)
  void theSweepSendsWhatADeadProcessLeftOnceEach() {
    long chat = CHAT + 40;
    StringBuilder sql = new StringBuilder();
    for (int u = 1; u <= UPDATES_LEFT; u++) {
      for (int seq = 0; seq < CALLS_EACH; seq++) {
        sql.append(
            String.format(
                "INSERT INTO bot_outbox (bot_id, update_id, seq, method, body, lease_until)"
                    + " VALUES (%d, %d, %d, 'sendMessage',"
                    + " '{\"chat_id\":\"%d\",\"text\":\"u%d s%d\"}', now() - interval '1 s');",
                TestDatabase.BOT.value(), u, seq, chat, u, seq));
      }
    }
    sql.append(
        String.format(
            "INSERT INTO bot_outbox (bot_id, update_id, seq, method, body, lease_until) VALUES"
                + " (%d, %d, 0, 'sendMessage', '{\"chat_id\":\"%d\",\"text\":\"leased\"}',"
                + " now() + interval '1 hour');",
            TestDatabase.BOT.value(), UPDATES_LEFT + 1, chat));
    DB.sql(sql.toString());
    Units units = new Units(DB.store(), client);
    Units other = new Units(DB.store(), client);
    List<Long> claimed =
        Uni.combine()
            .all()
            .unis(units.outbox().sweep(), other.outbox().sweep())
            .with(list -> list.stream().map(Long.class::cast).toList())
            .await()
            .atMost(Duration.ofSeconds(60));
    int rows = UPDATES_LEFT * CALLS_EACH;
    assertEquals(rows, claimed.get(0) + claimed.get(1), claimed.toString());
    List<String> replies = replies(chat);
    assertEquals(rows, replies.size(), replies.toString());
    assertEquals(rows, replies.stream().distinct().count(), "each sent once");
    for (int u = 1; u <= UPDATES_LEFT; u++) {
      for (int seq = 1; seq < CALLS_EACH; seq++) {
        assertTrue(
            replies.indexOf("u" + u + " s" + (seq - 1)) < replies.indexOf("u" + u + " s" + seq),
            "update " + u + "'s calls in order: " + replies);
      }
    }
    assertEquals(1, DB.rows("bot_outbox"), "only the leased row stays");
  }

  private void setUpAgain() {
    tearDown();
    setUp();
    runs.clear();
  }
}
