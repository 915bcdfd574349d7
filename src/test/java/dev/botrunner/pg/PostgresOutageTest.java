package dev.botrunner.pg;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.Bot;
import dev.botrunner.example.Counter;
import dev.botrunner.internal.dispatch.Dispatcher;
import dev.botrunner.internal.dispatch.Outcome;
import dev.botrunner.internal.logging.LogCapture;
import dev.botrunner.internal.store.PostgresSessionStore;
import dev.botrunner.internal.store.VersionedSession;
import dev.botrunner.testkit.UpdateFactory;
import dev.botrunner.testkit.Updates;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped mid-run: updates that need it are held (not failed, not reported to the bot's
 * error handler) and run once the server is back, each session effect exactly once. Uses its own
 * embedded server (skipped when the tests run against an external one, which they must not stop).
 */
class PostgresOutageTest {

  /** How long the first update may take to find the stopped server unreachable. */
  private static final Duration OUTAGE_NOTICED = Duration.ofSeconds(20);

  @Test
  void updatesWaitWhileTheDatabaseIsDownAndRunOnceItIsBack() throws Exception {
    Assumptions.assumeFalse(TestPostgres.external(), "needs an embedded server it may stop");
    EmbeddedPostgres.Builder builder = TestPostgres.restartable("botrunner-pg-outage");
    EmbeddedPostgres pg = TestPostgres.start(builder);
    int port = pg.getPort();
    Vertx vertx = Vertx.vertx();
    Pool pool = TestPostgres.pool(vertx, TestPostgres.optionsOf(port), 4);
    ExecutorService workers = Executors.newFixedThreadPool(4);
    Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    Bot bot = new Bot();
    bot.catchError(error -> errors.add(error.error()));
    bot.on("message:text", ctx -> ctx.session().get(Counter.class, Counter::new).count++);
    PostgresSessionStore store = new PostgresSessionStore(pool, TestDatabase.BOT, null);
    Dispatcher dispatcher =
        Dispatcher.builder(bot).concurrency(8).sessions(store).workers(workers).build();
    UpdateFactory updates = Updates.sequence(1);
    try (LogCapture logs = new LogCapture()) {
      TestPostgres.migrate(TestPostgres.optionsOf(port));
      for (int i = 0; i < 3; i++) {
        assertEquals(Outcome.DONE, run(dispatcher, updates, "before " + i));
      }

      TestPostgres.close(pg);
      List<CompletableFuture<Outcome>> during = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        during.add(dispatcher.dispatch(updates.text(5, 5, "during " + i)).toCompletableFuture());
      }
      // Held, not failed: the first one found the store unreachable (an event to wait on).
      await("the outage logged")
          .atMost(OUTAGE_NOTICED)
          .until(() -> logs.contains("session store unreachable"));
      assertTrue(during.stream().noneMatch(CompletableFuture::isDone), "none confirmed");

      pg = TestPostgres.start(builder);
      for (CompletableFuture<Outcome> outcome : during) {
        assertEquals(Outcome.DONE, outcome.orTimeout(30, TimeUnit.SECONDS).join());
      }
      assertEquals(List.of(), List.copyOf(errors), "the store's outage is not the bot's error");
      for (int i = 0; i < 3; i++) {
        assertEquals(Outcome.DONE, run(dispatcher, updates, "after " + i));
      }
      assertEquals(
          9,
          new VersionedSession("5", store).get(Counter.class, Counter::new).count,
          "3 before + 3 held during the outage + 3 after, each once");
    } finally {
      dispatcher.close();
      workers.shutdownNow();
      pool.closeAndAwait();
      vertx.closeAndAwait();
      TestPostgres.close(pg);
    }
  }

  private static Outcome run(Dispatcher dispatcher, UpdateFactory updates, String text) {
    return dispatcher
        .dispatch(updates.text(5, 5, text))
        .toCompletableFuture()
        .orTimeout(30, TimeUnit.SECONDS)
        .join();
  }
}
