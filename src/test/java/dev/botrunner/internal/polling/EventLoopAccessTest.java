package dev.botrunner.internal.polling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.config.BotConfig.MiddlewareThread;
import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.Updates;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code ctx.onEventLoop(..)}, what reactive Panache needs, under both middleware thread settings:
 * the code runs on an event loop in a safe duplicated context that is the same for every call of
 * one update and different for each update; afterwards the middleware goes on where the setting
 * says (a worker with {@code worker}, so it may block).
 */
class EventLoopAccessTest {

  /** What one update saw. */
  record Seen(Context first, Context second, boolean onLoop, boolean resumedOnLoop) {}

  @ParameterizedTest
  @EnumSource(MiddlewareThread.class)
  void eachUpdateGetsItsOwnSafeEventLoopContext(MiddlewareThread thread) throws Exception {
    ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
    try (FakeBotApi fake = FakeBotApi.start()) {
      fake.enqueue(Updates.text(1, 1, "a"), Updates.text(2, 2, "b"), Updates.text(1, 1, "c"));
      try (Pipeline pipeline =
          Pipeline.with(fake)
              .concurrency(8)
              .bot(
                  bot ->
                      bot.on(
                          "message:text",
                          (ctx, next) ->
                              ctx.onEventLoop(() -> Uni.createFrom().item(current()))
                                  .chain(
                                      first ->
                                          ctx.onEventLoop(() -> Uni.createFrom().item(current()))
                                              .map(
                                                  second ->
                                                      new Seen(
                                                          first.context(),
                                                          second.context(),
                                                          first.onLoop() && second.onLoop(),
                                                          Context.isOnEventLoopThread())))
                                  .invoke(seen::add)
                                  .chain(() -> ctx.reply("ok"))
                                  .replaceWithVoid()))
              .thread(thread)
              .build()
              .start()) {
        assertTrue(fake.awaitSentMessages(3, Duration.ofSeconds(30)), "replies");
      }
    }
    List<Seen> all = List.copyOf(seen);
    assertEquals(3, all.size());
    for (Seen s : all) {
      assertSame(s.first(), s.second(), "one context per update");
      assertTrue(VertxContext.isDuplicatedContext(s.first()), "a duplicated context");
      assertTrue(VertxContextSafetyToggle.isExplicitlyMarkedAsSafe(s.first()), "marked safe");
      assertTrue(s.onLoop(), "the code ran on an event loop");
      assertEquals(thread == MiddlewareThread.EVENT_LOOP, s.resumedOnLoop(), "resumed where set");
    }
    assertNotSame(all.get(0).first(), all.get(1).first());
    assertNotSame(all.get(1).first(), all.get(2).first());
    assertNotSame(all.get(0).first(), all.get(2).first());
  }

  private record Where(Context context, boolean onLoop) {}

  private static Where current() {
    assertFalse(Vertx.currentContext() == null, "no current context");
    return new Where(Vertx.currentContext(), Context.isOnEventLoopThread());
  }
}
