package dev.botrunner.internal.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.Bot;
import dev.botrunner.internal.logging.LogCapture;
import dev.botrunner.testkit.Updates;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Failures are isolated, timeouts release the chat, and blocking code stays off event loops. */
class DispatcherTest {

  /** How long a log line may take to appear after the outcome it reports. */
  private static final Duration LOGGED_WITHIN = Duration.ofSeconds(30);

  private final ExecutorService workers = Executors.newCachedThreadPool();
  private final List<String> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void tearDown() {
    workers.shutdownNow();
  }

  private Dispatcher dispatcher(Bot bot, Duration timeout) {
    return Dispatcher.builder(bot).concurrency(10).workers(workers).updateTimeout(timeout).build();
  }

  private static Outcome await(java.util.concurrent.CompletionStage<Outcome> stage)
      throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void aFailingUpdateIsReportedAndTheChatGoesOn() throws Exception {
    Bot bot = new Bot();
    bot.catchError(error -> events.add("caught " + error.error().getMessage()));
    bot.use(
        ctx -> {
          if ("boom".equals(ctx.text())) {
            throw new IllegalStateException("boom");
          }
          events.add("ok " + ctx.text());
        });
    Dispatcher dispatcher = dispatcher(bot, null);
    var first = dispatcher.dispatch(Updates.text(1, 1, "boom"));
    var second = dispatcher.dispatch(Updates.text(1, 1, "after"));
    assertEquals(Outcome.FAILED, await(first));
    assertEquals(Outcome.DONE, await(second));
    assertEquals(List.of("caught boom", "ok after"), events);
    assertEquals(1, dispatcher.failedCount());
    assertEquals(1, dispatcher.doneCount());
  }

  @Test
  void aSlowUpdateIsReleasedAtTheTimeoutAndItsLateEndIsLogged() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch slowEnded = new CountDownLatch(1);
    Bot bot = new Bot();
    bot.use(
        ctx -> {
          if ("slow".equals(ctx.text())) {
            events.add("slow started");
            release.await(30, TimeUnit.SECONDS);
            events.add("slow ended");
            slowEnded.countDown();
          } else {
            events.add("next ran");
            release.countDown();
          }
        });
    Dispatcher dispatcher = dispatcher(bot, Duration.ofMillis(200));
    try (LogCapture logs = new LogCapture()) {
      var slow = dispatcher.dispatch(Updates.text(1, 1, "slow"));
      var next = dispatcher.dispatch(Updates.text(1, 1, "next"));
      assertEquals(Outcome.TIMED_OUT, await(slow));
      assertEquals(Outcome.DONE, await(next));
      assertTrue(slowEnded.await(30, TimeUnit.SECONDS));
      // The next update of the chat ran while the timed-out one was still going.
      assertEquals(List.of("slow started", "next ran", "slow ended"), events);
      assertEquals(1, dispatcher.timedOutCount());
      // Both lines come from other threads, each after the outcome it reports was visible.
      Awaitility.await("the timeout reported")
          .atMost(LOGGED_WITHIN)
          .until(() -> logs.contains("is still running after"));
      Awaitility.await("the late end logged")
          .atMost(LOGGED_WITHIN)
          .until(() -> logs.contains("ended after its timeout: DONE"));
    } finally {
      dispatcher.close();
    }
  }

  @Test
  void blockingHandlersNeverRunOnAnEventLoop() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      List<Boolean> onEventLoop = new CopyOnWriteArrayList<>();
      Bot bot = new Bot();
      // A reactive step that resumes on an event loop, as after an HTTP call.
      bot.use(
          (ctx, next) ->
              Uni.createFrom()
                  .emitter(emitter -> vertx.getDelegate().runOnContext(v -> emitter.complete(null)))
                  .invoke(() -> onEventLoop.add(Context.isOnEventLoopThread()))
                  .chain(next::proceed));
      bot.use(ctx -> onEventLoop.add(Context.isOnEventLoopThread()));
      assertEquals(Outcome.DONE, await(dispatcher(bot, null).dispatch(Updates.text(1, 1, "x"))));
      assertEquals(List.of(true, false), onEventLoop);
    } finally {
      vertx.closeAndAwait();
    }
  }

  @Test
  void handlerLinesCarryTheUpdateAndChatInTheMdc() throws Exception {
    Bot bot = new Bot();
    bot.use(
        ctx ->
            events.add(
                org.jboss.logging.MDC.get("update_id")
                    + "/"
                    + org.jboss.logging.MDC.get("chat_id")));
    var update = Updates.text(77, 77, "x");
    assertEquals(Outcome.DONE, await(dispatcher(bot, null).dispatch(update)));
    assertEquals(List.of(update.getUpdateId() + "/77"), events);
  }

  @Test
  void aThrowingKeyFunctionDoesNotLoseTheUpdate() throws Exception {
    Bot bot = new Bot();
    bot.use(ctx -> events.add("ran"));
    Dispatcher dispatcher =
        Dispatcher.builder(bot)
            .concurrency(10)
            .keys(
                update -> {
                  throw new IllegalStateException("bad key function");
                })
            .workers(workers)
            .build();
    assertEquals(Outcome.DONE, await(dispatcher.dispatch(Updates.text(1, 1, "x"))));
    assertEquals(List.of("ran"), events);
  }
}
