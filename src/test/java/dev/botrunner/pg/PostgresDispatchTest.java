package dev.botrunner.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.Bot;
import dev.botrunner.SessionConflictException;
import dev.botrunner.UpdateKeyFunction;
import dev.botrunner.example.Counter;
import dev.botrunner.internal.dispatch.DispatchAll;
import dev.botrunner.internal.dispatch.Dispatcher;
import dev.botrunner.internal.dispatch.EventLoopStarts;
import dev.botrunner.internal.dispatch.Outcome;
import dev.botrunner.internal.dispatch.SessionKeyFunction;
import dev.botrunner.internal.store.ConflictPolicy;
import dev.botrunner.internal.store.SessionMetrics;
import dev.botrunner.internal.store.SessionStore;
import dev.botrunner.internal.store.StoredSession;
import dev.botrunner.internal.store.VersionedSession;
import dev.botrunner.testkit.UpdateFactory;
import dev.botrunner.testkit.Updates;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.telegram.telegrambots.meta.api.objects.Update;

/** Updates through the real dispatcher with sessions in PostgreSQL. */
class PostgresDispatchTest {

  /** Counts the statements a session issues against the store. */
  static final class CountingStore implements SessionStore {
    final SessionStore inner;
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger writes = new AtomicInteger();

    CountingStore(SessionStore inner) {
      this.inner = inner;
    }

    @Override
    public Uni<StoredSession> read(String key) {
      reads.incrementAndGet();
      return inner.read(key);
    }

    @Override
    public Uni<Long> write(String key, String json, long expectedVersion) {
      writes.incrementAndGet();
      return inner.write(key, json, expectedVersion);
    }

    @Override
    public Uni<Void> delete(String key, long expectedVersion) {
      writes.incrementAndGet();
      return inner.delete(key, expectedVersion);
    }
  }

  /** Runs every key-less update at once: the scheduler's per-chat ordering is switched off. */
  static final UpdateKeyFunction NO_KEYS = update -> List.of();

  @RegisterExtension static final TestDatabase DB = new TestDatabase(16);

  ExecutorService workers;
  SessionMetrics metrics;
  Queue<Throwable> errors;
  Dispatcher dispatcher;

  @BeforeEach
  void setUp() {
    DB.sql("DELETE FROM bot_session; DELETE FROM bot_processed_update");
    workers = Executors.newFixedThreadPool(32);
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
   * Time between a session's read and its write: time itself, the window in which concurrent
   * updates of one chat read the same version, so that the conflict tests meet conflicts.
   */
  private static final Duration RACE_WINDOW = Duration.ofMillis(30);

  /** A narrower window: conflicts still happen, and a hundred retries always get through. */
  private static final Duration NARROW_RACE_WINDOW = Duration.ofMillis(5);

  /**
   * The demo bot's counter; "peek" only reads, "ignore" does not touch the session.
   *
   * @param pauseBetweenReadAndWrite {@link Duration#ZERO}, {@link #RACE_WINDOW} or {@link
   *     #NARROW_RACE_WINDOW}
   */
  private Bot counterBot(Duration pauseBetweenReadAndWrite) {
    Bot bot = new Bot();
    bot.catchError(error -> errors.add(error.error()));
    bot.on(
        "message:text",
        ctx -> {
          switch (ctx.text()) {
            case "ignore" -> {}
            case "peek" -> ctx.session().get(Counter.class, Counter::new);
            default -> {
              Counter counter = ctx.session().get(Counter.class, Counter::new);
              if (!pauseBetweenReadAndWrite.isZero()) {
                Thread.sleep(pauseBetweenReadAndWrite.toMillis());
              }
              counter.count++;
            }
          }
        });
    return bot;
  }

  private Dispatcher dispatcher(
      UpdateKeyFunction keys, Bot bot, SessionStore sessions, ConflictPolicy policy) {
    dispatcher =
        Dispatcher.builder(bot)
            .concurrency(64)
            .keys(keys)
            .sessions(sessions)
            .workers(workers)
            .sessionMetrics(metrics)
            .onConflict(policy)
            .build();
    return dispatcher;
  }

  private static List<Outcome> runAll(Dispatcher dispatcher, List<Update> updates) {
    return DispatchAll.run(dispatcher, updates, Duration.ofMinutes(3));
  }

  private static int counter(String key) {
    return new VersionedSession(key, DB.store()).get(Counter.class, Counter::new).count;
  }

  @Test
  void untouchedSessionCostsNoQueryAndReadOnlyCostsNoWrite() {
    CountingStore counting = new CountingStore(DB.store());
    Dispatcher d =
        dispatcher(
            new SessionKeyFunction(), counterBot(Duration.ZERO), counting, ConflictPolicy.FAIL);
    UpdateFactory updates = Updates.sequence(1);

    assertEquals(List.of(Outcome.DONE), runAll(d, List.of(updates.text(7, 7, "ignore"))));
    assertEquals(0, counting.reads.get(), "untouched: no read");
    assertEquals(0, counting.writes.get(), "untouched: no write");

    runAll(d, List.of(updates.text(7, 7, "count")));
    assertEquals(1, counting.reads.get());
    assertEquals(1, counting.writes.get());

    runAll(d, List.of(updates.text(7, 7, "peek")));
    assertEquals(2, counting.reads.get(), "read-only: one read");
    assertEquals(1, counting.writes.get(), "read-only: no write");
    assertEquals(1, metrics.skippedWrites());
    assertEquals(1, counter("7"));
  }

  /**
   * The reference's hazard with ordering switched off: updates of one chat run concurrently, read
   * the same version and race to write. Every lost race is a reported, counted conflict; the
   * counter equals the number of updates whose write succeeded, so nothing was lost silently.
   */
  @Test
  void concurrentUpdatesOfOneChatConflictInsteadOfLosingWrites() {
    Dispatcher d = dispatcher(NO_KEYS, counterBot(RACE_WINDOW), DB.store(), ConflictPolicy.FAIL);
    UpdateFactory updates = Updates.sequence(1);
    List<Update> batch = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      batch.add(updates.text(42, 42, "count " + i));
    }
    List<Outcome> outcomes = runAll(d, batch);
    long done = outcomes.stream().filter(o -> o == Outcome.DONE).count();
    long failed = outcomes.stream().filter(o -> o == Outcome.FAILED).count();
    assertTrue(failed > 0, "concurrent updates of one chat must conflict");
    assertEquals(failed, metrics.conflicts(), "each conflict counted");
    assertEquals(failed, errors.size(), "each conflict reported to the error handler");
    errors.forEach(e -> assertInstanceOf(SessionConflictException.class, e));
    assertEquals(done, counter("42"), "the counter holds exactly the successful writes");
  }

  @Test
  void retryPolicyRerunsTheMiddlewareOnFreshData() {
    Dispatcher d =
        dispatcher(NO_KEYS, counterBot(NARROW_RACE_WINDOW), DB.store(), ConflictPolicy.retry(100));
    UpdateFactory updates = Updates.sequence(1);
    List<Update> batch = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      batch.add(updates.text(43, 43, "count " + i));
    }
    List<Outcome> outcomes = runAll(d, batch);
    assertTrue(outcomes.stream().allMatch(o -> o == Outcome.DONE), outcomes.toString());
    assertTrue(metrics.conflicts() > 0, "there were conflicts to retry");
    assertEquals(10, counter("43"), "every increment applied once");
  }

  @Test
  void retriesAreBounded() {
    Dispatcher d =
        dispatcher(NO_KEYS, counterBot(RACE_WINDOW), DB.store(), ConflictPolicy.retry(1));
    UpdateFactory updates = Updates.sequence(1);
    List<Update> batch = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      batch.add(updates.text(44, 44, "count " + i));
    }
    List<Outcome> outcomes = runAll(d, batch);
    long done = outcomes.stream().filter(o -> o == Outcome.DONE).count();
    assertTrue(done < 10, "some updates exhaust their single retry");
    assertEquals(10 - done, errors.size());
    assertEquals(done, counter("44"));
  }

  /**
   * Default keys (the session key): 5,000 updates over 50 chats, every count exact, 0 conflicts.
   */
  @Test
  void defaultKeysFiveThousandUpdatesOverFiftyChats() {
    Dispatcher d =
        dispatcher(
            new SessionKeyFunction(), counterBot(Duration.ZERO), DB.store(), ConflictPolicy.FAIL);
    countRoundRobin(d, 1000, 50, 5000);
    assertEquals(5000, metrics.writes());
  }

  /**
   * The event-loop setting with PostgreSQL: middleware starts on an event loop (inline on the
   * pool's loops that end the chat's previous update, handed to one from the test's thread), reads
   * the session reactively, and every count is still exact with no conflict.
   */
  @Test
  void eventLoopSettingWithReactiveMiddlewareKeepsEveryCountExact() {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    Bot bot = new Bot();
    bot.catchError(error -> errors.add(error.error()));
    bot.on(
        "message:text",
        (ctx, next) ->
            ctx.session()
                .load(Counter.class, Counter::new)
                .invoke(c -> c.count++)
                .replaceWithVoid());
    dispatcher =
        Dispatcher.builder(bot)
            .concurrency(64)
            .sessions(DB.store())
            .workers(new EventLoopStarts(vertx))
            .sessionMetrics(metrics)
            .build();
    try {
      countRoundRobin(dispatcher, 2000, 20, 2000);
    } finally {
      vertx.close();
    }
  }

  /** Sends {@code total} updates round-robin over the chats; every count must come out exact. */
  private void countRoundRobin(Dispatcher d, long firstChat, int chats, int total) {
    UpdateFactory updates = Updates.sequence(1);
    List<Update> batch = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      long chat = firstChat + (i % chats);
      batch.add(updates.text(chat, chat, "count " + i));
    }
    List<Outcome> outcomes = runAll(d, batch);
    assertTrue(outcomes.stream().allMatch(o -> o == Outcome.DONE), "all done");
    assertEquals(0, metrics.conflicts());
    assertTrue(errors.isEmpty(), errors.toString());
    for (int c = 0; c < chats; c++) {
      assertEquals(total / chats, counter(Long.toString(firstChat + c)), "chat " + (firstChat + c));
    }
  }
}
