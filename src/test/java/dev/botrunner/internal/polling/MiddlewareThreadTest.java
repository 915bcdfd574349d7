package dev.botrunner.internal.polling;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.config.BotConfig.MiddlewareThread;
import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.SentMessage;
import dev.botrunner.testkit.Updates;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * {@code bot.middleware-thread}: with {@code event-loop} reactive middleware starts on the event
 * loop that gave the update its turn and blocking handlers still run on workers; with {@code
 * worker} nothing runs on an event loop. Either way each chat's updates run in order, updates that
 * finish synchronously (no call) included, and every update is confirmed.
 */
class MiddlewareThreadTest {

  /** A session type for the test; public with a no-argument constructor for Jackson. */
  public static class Count {
    /** Messages counted in the chat. */
    public int n;
  }

  private static final int REACTIVE_CHATS = 10;
  private static final int MIXED_CHATS = 10;
  private static final int PER_CHAT = 30;

  /** How long the last updates may take to finish after their replies went out. */
  private static final Duration SETTLED_WITHIN = Duration.ofSeconds(30);

  @ParameterizedTest
  @EnumSource(MiddlewareThread.class)
  void reactiveMiddlewareRunsWhereConfiguredAndEveryChatStaysInOrder(MiddlewareThread thread)
      throws Exception {
    // Chats 1..10 see only reactive middleware; chats 101..110 also hit a blocking handler, whose
    // update may end on its worker.
    List<Update> updates = new ArrayList<>();
    Map<Long, List<String>> expected = new HashMap<>();
    Map<Long, Integer> counts = new HashMap<>();
    for (int i = 0; i < PER_CHAT; i++) {
      for (int c = 0; c < REACTIVE_CHATS + MIXED_CHATS; c++) {
        long chat = c < REACTIVE_CHATS ? 1 + c : 101 + c - REACTIVE_CHATS;
        String text;
        if (i % 7 == 3) {
          text = "quiet " + i;
        } else if (c >= REACTIVE_CHATS && i % 5 == 1) {
          text = "/slow";
        } else {
          text = "m " + i;
        }
        updates.add(Updates.text(chat, chat, text));
        List<String> replies = expected.computeIfAbsent(chat, k -> new ArrayList<>());
        if (text.equals("/slow")) {
          replies.add("slow");
        } else if (!text.startsWith("quiet")) {
          int n = counts.merge(chat, 1, Integer::sum);
          replies.add(n + ": " + text);
        }
      }
    }
    int replyCount = expected.values().stream().mapToInt(List::size).sum();
    int lastId = updates.get(updates.size() - 1).getUpdateId();

    Map<Long, ConcurrentLinkedQueue<Boolean>> middlewareOnLoop = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<Boolean> handlerOnLoop = new ConcurrentLinkedQueue<>();
    try (FakeBotApi fake = FakeBotApi.start()) {
      fake.enqueue(updates);
      try (Pipeline pipeline =
          Pipeline.with(fake)
              .concurrency(1000)
              .maxWaiting(5000)
              .bot(
                  bot -> {
                    bot.command(
                        "slow",
                        ctx -> {
                          handlerOnLoop.add(Context.isOnEventLoopThread());
                          // Waiting for the reply makes the update end here, on the worker: the
                          // chat's next update is then started from a worker thread.
                          ctx.reply("slow").await().atMost(Duration.ofSeconds(10));
                        });
                    bot.on(
                        "message:text",
                        (ctx, next) -> {
                          middlewareOnLoop
                              .computeIfAbsent(ctx.chatId(), k -> new ConcurrentLinkedQueue<>())
                              .add(Context.isOnEventLoopThread());
                          if (ctx.text().startsWith("quiet")) {
                            return Uni.createFrom().voidItem();
                          }
                          return ctx.session()
                              .load(Count.class, Count::new)
                              .invoke(
                                  count -> {
                                    count.n++;
                                    ctx.reply(count.n + ": " + ctx.text());
                                  })
                              .replaceWithVoid();
                        });
                  })
              .thread(thread)
              .build()) {
        pipeline.start();
        assertTrue(fake.awaitSentMessages(replyCount, Duration.ofSeconds(60)), "every reply sent");
        // Every reply sent is not every update finished: the last ones may still write sessions.
        await("every update finished and the offset past the last")
            .atMost(SETTLED_WITHIN)
            .untilAsserted(
                () -> {
                  assertEquals(0, pipeline.poller.unfinished(), "unfinished updates");
                  assertEquals(lastId + 1, pipeline.poller.offset(), "offset after the last");
                });
      }
      assertEquals(replyCount, fake.sentMessages().size(), "no reply twice");
      for (Map.Entry<Long, List<String>> chat : expected.entrySet()) {
        List<String> sent =
            fake.sentMessages(chat.getKey()).stream().map(SentMessage::text).toList();
        assertEquals(chat.getValue(), sent, "chat " + chat.getKey() + " in order");
      }
    }

    boolean wantLoop = thread == MiddlewareThread.EVENT_LOOP;
    int middlewareRuns = 0;
    for (Map.Entry<Long, ConcurrentLinkedQueue<Boolean>> chat : middlewareOnLoop.entrySet()) {
      middlewareRuns += chat.getValue().size();
      // Also in the chats with a blocking handler: an update that ends on its worker hands the
      // chat's next one to an event loop.
      for (boolean onLoop : chat.getValue()) {
        assertEquals(wantLoop, onLoop, "middleware of chat " + chat.getKey() + " on an event loop");
      }
    }
    int slowCount =
        (int) updates.stream().filter(u -> "/slow".equals(u.getMessage().getText())).count();
    assertEquals(updates.size() - slowCount, middlewareRuns, "middleware ran once per update");
    assertEquals(slowCount, handlerOnLoop.size());
    assertFalse(handlerOnLoop.contains(true), "a blocking handler ran on an event loop");
  }
}
