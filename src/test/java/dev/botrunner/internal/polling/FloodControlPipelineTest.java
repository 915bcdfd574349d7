package dev.botrunner.internal.polling;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.internal.client.RetryPolicy;
import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.Script;
import dev.botrunner.testkit.SentMessage;
import dev.botrunner.testkit.Updates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Through the real polling pipeline with the production retry settings: flood control on one reply
 * in ten and a server error on one in twenty lose no reply and send none twice.
 */
class FloodControlPipelineTest {

  private static final int UPDATES = 2000;

  /** Many chats at once, so the one-second flood waits overlap and the test takes seconds. */
  private static final int CHATS = 200;

  /** How long the last updates may take to finish after their replies went out. */
  private static final Duration SETTLED_WITHIN = Duration.ofSeconds(30);

  @Test
  void everyReplyArrivesExactlyOnceThrough429AndServerErrors() throws Exception {
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    try (FakeBotApi fake = FakeBotApi.start()) {
      // 10% flood control (retry_after 1) and 5% server errors, in a fixed random order, for every
      // sendMessage including the retries; half again as many answers as there are replies.
      Random random = new Random(19);
      Script script = fake.script("sendMessage");
      int scripted = UPDATES * 3 / 2;
      List<Integer> codes = new ArrayList<>();
      for (int i = 0; i < scripted; i++) {
        double r = random.nextDouble();
        if (r < 0.10) {
          script.retryAfter(1);
          codes.add(429);
        } else if (r < 0.15) {
          script.serverError();
          codes.add(500);
        } else {
          script.answerNormally();
          codes.add(200);
        }
      }
      List<Update> updates = new ArrayList<>();
      for (int i = 0; i < UPDATES; i++) {
        long chat = 1000 + i % CHATS;
        updates.add(Updates.text(chat, chat, "reply " + i));
      }
      fake.enqueue(updates);
      RetryPolicy production =
          new RetryPolicy(3, Duration.ofSeconds(60), RetryPolicy.DEFAULT_FLOOD_BUDGET);
      try (Pipeline pipeline =
          Pipeline.with(fake)
              .concurrency(500)
              .maxWaiting(5000)
              .bot(
                  bot -> {
                    bot.on("message:text", ctx -> ctx.reply(ctx.text()));
                    bot.catchError(error -> failures.add(error.error()));
                  })
              .retries(production)
              .build()) {
        pipeline.start();
        boolean all = fake.awaitSentMessages(UPDATES, Duration.ofSeconds(120));
        assertTrue(
            all,
            () ->
                "every reply sent: "
                    + fake.sentMessages().size()
                    + " failures "
                    + failures
                    + " pending "
                    + pipeline.dispatcher.scheduler().pending()
                    + " unfinished "
                    + pipeline.poller.unfinished()
                    + " calls "
                    + fake.calls("sendMessage").size()
                    + " fake pending "
                    + fake.pendingUpdates());
        // Every reply sent is not every update finished: the last ones may still be releasing.
        await("every update finished")
            .atMost(SETTLED_WITHIN)
            .until(() -> pipeline.dispatcher.scheduler().pending() == 0);

        assertEquals(List.of(), failures, "no update failed");
        Map<String, Long> delivered =
            fake.sentMessages().stream()
                .collect(Collectors.groupingBy(SentMessage::text, Collectors.counting()));
        assertEquals(UPDATES, delivered.size(), "every reply delivered");
        assertTrue(delivered.values().stream().allMatch(n -> n == 1), "none delivered twice");

        // Each failed answer caused exactly one more attempt, and nothing else did.
        int calls = fake.calls("sendMessage").size();
        long floods = codes.subList(0, calls).stream().filter(c -> c == 429).count();
        long serverErrors = codes.subList(0, calls).stream().filter(c -> c == 500).count();
        assertTrue(floods > UPDATES / 20, "flood control was exercised: " + floods);
        assertEquals(floods, pipeline.api.retries().floodWaitCount());
        assertEquals(floods + serverErrors, pipeline.api.retries().retryCount());
        assertEquals(UPDATES + floods + serverErrors, calls);
      }
    }
  }
}
