package dev.botrunner;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.internal.context.UpdateContext;
import dev.botrunner.internal.logging.LogCapture;
import dev.botrunner.internal.store.MemorySessionStore;
import dev.botrunner.internal.store.VersionedSession;
import dev.botrunner.testkit.Updates;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A middleware that blocks an event loop is named in a warning by the line that added it, with the
 * update and the blocked stack; a blocking {@link Handler} is not (it runs on a worker).
 */
class BlockedLoopWatchTest {

  private static final Duration WITHIN = BlockedLoopWatch.WARN_AFTER.multipliedBy(5);

  @Test
  void aMiddlewareBlockingTheEventLoopIsNamedInAWarning() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Bot bot = new Bot();
    bot.use((Middleware) (ctx, next) -> next.proceed());
    bot.use(
        (Middleware)
            (ctx, next) -> {
              awaitQuietly(release); // blocks the event loop: the mistake under test
              return Uni.createFrom().voidItem();
            });
    Vertx vertx = Vertx.vertx();
    try (LogCapture log = new LogCapture()) {
      CompletableFuture<Void> done = runOnLoop(vertx, bot, 4711);
      await().atMost(WITHIN).until(() -> log.contains("has blocked event loop"));
      release.countDown();
      done.get(10, TimeUnit.SECONDS);
      String line =
          log.lines().stream().filter(l -> l.contains("has blocked event loop")).findFirst().get();
      assertTrue(
          line.contains(
              "registered at " + BlockedLoopWatchTest.class.getName() + ".aMiddlewareBlocking"),
          line);
      assertTrue(line.contains("update 4711"), line);
      assertTrue(line.contains("awaitQuietly"), "the blocked stack is in the warning: " + line);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aBlockingHandlerRunsOnAWorkerAndIsNotReported() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch blocking = new CountDownLatch(1);
    Bot bot = new Bot();
    bot.use(
        ctx -> {
          blocking.countDown();
          awaitQuietly(release);
        });
    Vertx vertx = Vertx.vertx();
    try (LogCapture log = new LogCapture()) {
      CompletableFuture<Void> done = runOnLoop(vertx, bot, 4712);
      assertTrue(blocking.await(10, TimeUnit.SECONDS));
      // Blocked past the limit, but on a worker: once the checker has looked often enough to
      // have warned, it has not. (A slot exists only for event-loop threads that entered one.)
      long from = BlockedLoopWatch.rounds();
      await()
          .atMost(WITHIN)
          .until(() -> BlockedLoopWatch.rounds() > from + BlockedLoopWatch.CHECKS_BEFORE_WARNING);
      release.countDown();
      done.get(10, TimeUnit.SECONDS);
      assertFalse(log.contains("update 4712"), String.join("\n", log.lines()));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static CompletableFuture<Void> runOnLoop(Vertx vertx, Bot bot, int updateId) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    vertx.runOnContext(
        v ->
            bot.handle(
                    new UpdateContext(
                        Updates.sequence(updateId).text(1, 1, "x"),
                        null,
                        new VersionedSession("1", new MemorySessionStore()),
                        null),
                    Next.END)
                .subscribe()
                .with(done::complete, done::completeExceptionally));
    return done;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
