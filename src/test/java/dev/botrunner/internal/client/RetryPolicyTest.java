package dev.botrunner.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.TelegramApiException;
import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.Script;
import dev.botrunner.testkit.SentMessage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Replies get through flood control and server errors, once each. */
class RetryPolicyTest {

  private final Vertx vertx = Vertx.vertx();
  private final FakeBotApi fake = FakeBotApi.start();
  private final TelegramClient client =
      TelegramClient.builder(vertx, fake.baseUrl(), FakeBotApi.TOKEN)
          .maxConnections(64)
          .timeout(Duration.ofSeconds(10))
          .retries(new RetryPolicy(3, Duration.ofSeconds(60)))
          .build();

  @AfterEach
  void tearDown() {
    client.close();
    fake.close();
    vertx.closeAndAwait();
  }

  @Test
  void everyReplyArrivesOnceDespite429And500() {
    int replies = 2000;
    // 10% flood control (retry_after 1) and 5% server errors, in a fixed random order; calls
    // beyond the script, retries included, are answered normally.
    Random random = new Random(42);
    Script script = fake.script("sendMessage");
    int floods = 0;
    int serverErrors = 0;
    for (int i = 0; i < replies; i++) {
      double r = random.nextDouble();
      if (r < 0.10) {
        script.retryAfter(1);
        floods++;
      } else if (r < 0.15) {
        script.serverError();
        serverErrors++;
      } else {
        script.answerNormally();
      }
    }
    // The answers go to calls in arrival order, so a reply may now and then draw a server error on
    // all four of its attempts (3 retries): it must then fail with that 500, not vanish.
    Map<String, Throwable> failed = new ConcurrentHashMap<>();
    List<Uni<Void>> calls = new ArrayList<>();
    for (int i = 0; i < replies; i++) {
      String text = "reply " + i;
      calls.add(
          client
              .sendMessage(1000 + i % 100, text)
              .replaceWithVoid()
              .onFailure()
              .recoverWithItem(
                  failure -> {
                    failed.put(text, failure);
                    return null;
                  }));
    }
    Uni.join().all(calls).andFailFast().await().atMost(Duration.ofSeconds(120));
    Map<String, Long> delivered =
        fake.sentMessages().stream()
            .collect(Collectors.groupingBy(SentMessage::text, Collectors.counting()));
    assertTrue(delivered.values().stream().allMatch(n -> n == 1), "none delivered twice");
    failed.forEach(
        (text, failure) -> {
          TelegramApiException api = assertInstanceOf(TelegramApiException.class, failure, text);
          assertEquals(500, api.errorCode(), "only a run of server errors fails a reply");
          assertFalse(delivered.containsKey(text), "failed yet delivered: " + text);
        });
    assertEquals(replies, delivered.size() + failed.size(), "every reply delivered or failed");
    assertTrue(
        failed.size() * 4 <= serverErrors,
        "a reply fails only after four server errors: " + failed);
    assertTrue(client.retries().floodWaitCount() >= floods, "flood waits were honoured");
    assertTrue(client.retries().retryCount() > 0);
  }

  @Test
  void aRetryAfterAboveTheCapFailsFast() {
    TelegramClient capped =
        TelegramClient.builder(vertx, fake.baseUrl(), FakeBotApi.TOKEN)
            .maxConnections(4)
            .timeout(Duration.ofSeconds(10))
            .retries(new RetryPolicy(3, Duration.ofSeconds(5)))
            .build();
    fake.script("sendMessage").retryAfter(120);
    TelegramApiException e =
        assertThrows(
            TelegramApiException.class, () -> capped.sendMessage(1, "x").await().indefinitely());
    assertTrue(e.getMessage().contains("exceeds BOT_API_MAX_DELAY (5 s)"), e.getMessage());
    assertEquals(1, fake.calls("sendMessage").size(), "no retry was made");
    capped.close();
  }

  @Test
  void aLongFloodControlBurstOnOneReplyIsWaitedOutNotCounted() {
    fake.script("sendMessage").retryAfter(0).times(10);
    client.sendMessage(7, "through the flood").await().atMost(Duration.ofSeconds(30));
    assertEquals(11, fake.calls("sendMessage").size(), "ten 429s, each retried");
    assertEquals(1, fake.sentMessages(7).size(), "delivered once");
    assertEquals(10, client.retries().floodWaitCount());
  }

  @Test
  void clientErrorsAreNeverRetried() {
    fake.script("sendMessage").error(403, "Forbidden: bot was blocked by the user");
    assertThrows(
        TelegramApiException.class, () -> client.sendMessage(1, "x").await().indefinitely());
    assertEquals(1, fake.calls("sendMessage").size());
  }

  @Test
  void serverErrorsStopAfterMaxRetries() {
    fake.script("sendMessage").serverError().times(10);
    TelegramApiException e =
        assertThrows(
            TelegramApiException.class, () -> client.sendMessage(1, "x").await().indefinitely());
    assertEquals(500, e.errorCode());
    assertEquals(4, fake.calls("sendMessage").size(), "one attempt and three retries");
  }
}
