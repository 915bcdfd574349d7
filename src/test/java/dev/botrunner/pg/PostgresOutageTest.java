package dev.botrunner.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.dispatch.Dispatcher;
import dev.botrunner.dispatch.KeyedSerialScheduler;
import dev.botrunner.dispatch.Outcome;
import dev.botrunner.dispatch.SessionKeyFunction;
import dev.botrunner.example.Counter;
import dev.botrunner.middleware.Bot;
import dev.botrunner.session.ConflictPolicy;
import dev.botrunner.session.PostgresSessionStore;
import dev.botrunner.session.Session;
import dev.botrunner.session.SessionMetrics;
import dev.botrunner.session.SessionStoreException;
import dev.botrunner.testkit.UpdateFactory;
import dev.botrunner.testkit.Updates;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped mid-run: updates fail with a clear error that reaches the error handler, the
 * dispatcher keeps going, and updates succeed again once the server is back. Uses its own embedded
 * server (skipped when the tests run against an external one, which they must not stop).
 */
class PostgresOutageTest {

  @Test
  void updatesFailClearlyWhileTheDatabaseIsDownAndRecoverAfter() throws Exception {
    Assumptions.assumeFalse(TestPostgres.external(), "needs an embedded server it may stop");
    Path data = Files.createTempDirectory("botrunner-pg-outage");
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(data)
            .setCleanDataDirectory(false)
            .setPort(port);
    EmbeddedPostgres pg = TestPostgres.start(builder);
    Vertx vertx = Vertx.vertx();
    Pool pool = TestPostgres.pool(vertx, TestPostgres.optionsOf(port), 4);
    ExecutorService workers = Executors.newFixedThreadPool(4);
    Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    Bot bot = new Bot();
    bot.catchError(error -> errors.add(error.error()));
    bot.on("message:text", ctx -> ctx.session().get(Counter.class, Counter::new).count++);
    PostgresSessionStore store = new PostgresSessionStore(pool, TestDatabase.BOT, null);
    Dispatcher dispatcher =
        new Dispatcher(
            new KeyedSerialScheduler(8),
            new SessionKeyFunction(),
            bot,
            null,
            store,
            workers,
            null,
            new SessionMetrics(),
            ConflictPolicy.FAIL);
    UpdateFactory updates = Updates.sequence(1);
    try {
      TestPostgres.migrate(TestPostgres.optionsOf(port));
      for (int i = 0; i < 3; i++) {
        assertEquals(Outcome.DONE, run(dispatcher, updates, "before " + i));
      }

      TestPostgres.close(pg);
      for (int i = 0; i < 3; i++) {
        assertEquals(Outcome.FAILED, run(dispatcher, updates, "during " + i));
      }
      assertEquals(3, errors.size());
      for (Throwable error : errors) {
        assertInstanceOf(SessionStoreException.class, error);
        assertTrue(
            error.getMessage().startsWith("PostgreSQL session store: reading session 5 failed"),
            error.getMessage());
      }

      pg = TestPostgres.start(builder);
      // The pool drops broken connections and opens new ones; allow it a few attempts.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      Outcome outcome = Outcome.FAILED;
      while (outcome != Outcome.DONE && System.nanoTime() < deadline) {
        outcome = run(dispatcher, updates, "after");
        if (outcome != Outcome.DONE) {
          Thread.sleep(200);
        }
      }
      assertEquals(Outcome.DONE, outcome, "recovers once PostgreSQL is back");
      for (int i = 0; i < 3; i++) {
        assertEquals(Outcome.DONE, run(dispatcher, updates, "after " + i));
      }
      assertEquals(
          7,
          new Session("5", store).get(Counter.class, Counter::new).count,
          "3 before + 1 first after + 3 after; the failed ones wrote nothing");
    } finally {
      dispatcher.close();
      workers.shutdownNow();
      pool.closeAndAwait();
      vertx.closeAndAwait();
      TestPostgres.close(pg);
      deleteTree(data);
    }
  }

  private static Outcome run(Dispatcher dispatcher, UpdateFactory updates, String text) {
    return dispatcher
        .dispatch(updates.text(5, 5, text))
        .toCompletableFuture()
        .orTimeout(30, TimeUnit.SECONDS)
        .join();
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
