package dev.botrunner.internal.polling;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.TelegramApiException;
import dev.botrunner.internal.client.RetryPolicy;
import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.Script;
import dev.botrunner.testkit.SentMessage;
import dev.botrunner.testkit.Updates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Through the real polling pipeline with the production retry settings: flood control on one reply
 * in ten and a server error on one in twenty send no reply twice and lose none silently.
 *
 * <p>A 429 is retried for as long as the flood budget allows, a 5xx at most {@link #MAX_RETRIES}
 * times (each retry risks a duplicate). The answers are handed out in the order calls arrive, so
 * now and then one reply draws a server error on all of its attempts (about one run in fifty); it
 * must then reach the error boundary with that 500, and every count below accounts for it.
 */
class FloodControlPipelineTest {

  private static final int UPDATES = 2000;

  /** Many chats at once, so the one-second flood waits overlap and the test takes seconds. */
  private static final int CHATS = 200;

  /** The production default of {@code BOT_API_MAX_RETRIES}. */
  private static final int MAX_RETRIES = 3;

  /** How long the last updates may take to finish after their replies went out. */
  private static final Duration SETTLED_WITHIN = Duration.ofSeconds(30);

  @Test
  void everyReplyArrivesExactlyOnceThrough429AndServerErrors() throws Exception {
    Map<String, Throwable> failures = new ConcurrentHashMap<>();
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
      Set<String> texts = new HashSet<>();
      for (int i = 0; i < UPDATES; i++) {
        long chat = 1000 + i % CHATS;
        updates.add(Updates.text(chat, chat, "reply " + i));
        texts.add("reply " + i);
      }
      fake.enqueue(updates);
      RetryPolicy production =
          new RetryPolicy(MAX_RETRIES, Duration.ofSeconds(60), RetryPolicy.DEFAULT_FLOOD_BUDGET);
      try (Pipeline pipeline =
          Pipeline.with(fake)
              .concurrency(500)
              .maxWaiting(5000)
              .bot(
                  bot -> {
                    bot.on("message:text", ctx -> ctx.reply(ctx.text()));
                    bot.catchError(error -> failures.put(error.ctx().text(), error.error()));
                  })
              .retries(production)
              .build()) {
        pipeline.start();
        await("every reply sent or failed")
            .atMost(Duration.ofSeconds(120))
            .until(() -> fake.sentMessages().size() + failures.size() >= UPDATES);
        // Every reply sent is not every update finished: the last ones may still be releasing.
        await("every update finished")
            .atMost(SETTLED_WITHIN)
            .until(() -> pipeline.dispatcher.scheduler().pending() == 0);

        Map<String, Long> delivered =
            fake.sentMessages().stream()
                .collect(Collectors.groupingBy(SentMessage::text, Collectors.counting()));
        assertTrue(delivered.values().stream().allMatch(n -> n == 1), "none delivered twice");
        for (Map.Entry<String, Throwable> failed : failures.entrySet()) {
          assertFalse(delivered.containsKey(failed.getKey()), "failed yet delivered: " + failed);
          TelegramApiException api =
              assertInstanceOf(TelegramApiException.class, failed.getValue(), failed.getKey());
          assertEquals(500, api.errorCode(), "only a run of server errors fails a reply");
        }
        Set<String> accounted = new HashSet<>(delivered.keySet());
        accounted.addAll(failures.keySet());
        assertEquals(texts, accounted, "every reply delivered or failed, none lost silently");

        // Each failed answer caused exactly one more attempt, except the last 500 of a reply whose
        // retries ran out; nothing else caused one.
        int calls = fake.calls("sendMessage").size();
        long floods = codes.subList(0, calls).stream().filter(c -> c == 429).count();
        long serverErrors = codes.subList(0, calls).stream().filter(c -> c == 500).count();
        int exhausted = failures.size();
        assertTrue(floods > UPDATES / 20, "flood control was exercised: " + floods);
        assertTrue(serverErrors > UPDATES / 40, "server errors were exercised: " + serverErrors);
        assertTrue(exhausted * (MAX_RETRIES + 1) <= serverErrors, "a reply fails only at its end");
        assertEquals(floods, pipeline.api.retries().floodWaitCount());
        assertEquals(floods + serverErrors - exhausted, pipeline.api.retries().retryCount());
        assertEquals(UPDATES + floods + serverErrors - exhausted, calls);
      }
    }
  }
}
