package dev.botrunner.it;

import static dev.botrunner.it.WebhookClient.HTTP;
import static dev.botrunner.it.WebhookClient.await;
import static dev.botrunner.it.WebhookClient.endpoint;
import static dev.botrunner.it.WebhookClient.postUntilAccepted;
import static dev.botrunner.it.WebhookClient.repliesIn;
import static dev.botrunner.it.WebhookClient.request;
import static dev.botrunner.it.WebhookClient.textsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.internal.dispatch.Dispatcher;
import dev.botrunner.internal.dispatch.Draining;
import dev.botrunner.internal.webhook.WebhookResource;
import dev.botrunner.testkit.Updates;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * The webhook under load and at shutdown ({@link WebhookProfile}'s boot: 8 running, 64 waiting, a 1
 * s answer deadline): a full runner answers 503 with Retry-After and loses nothing once Telegram
 * re-sends, a slow update is answered at the deadline and finishes later, and a draining process
 * refuses posts and reports readiness DOWN (liveness stays UP).
 */
@QuarkusTest
@TestProfile(WebhookProfile.class)
class WebhookSaturationTest {

  @Inject WebhookResource webhook;
  @Inject Dispatcher dispatcher;
  @Inject Draining draining;

  @Test
  void saturationAnswers503AndLosesNothingOnceResent() throws Exception {
    long firstChat = 9_600_000;
    WebhookTestSetup.gate = new CountDownLatch(1);
    List<Update> accepted = new ArrayList<>();
    List<CompletableFuture<HttpResponse<Void>>> pending = new ArrayList<>();
    try {
      // Fill every slot with a blocked update, then the waiting queue up to its bound.
      for (int i = 0; i < WebhookProfile.CONCURRENCY; i++) {
        Update update = Updates.text(firstChat + i, firstChat + i, WebhookTestSetup.BLOCK);
        accepted.add(update);
        pending.add(HTTP.sendAsync(request(update), HttpResponse.BodyHandlers.discarding()));
      }
      await(
          "every slot blocked",
          () -> dispatcher.scheduler().running() >= WebhookProfile.CONCURRENCY);
      for (int i = 0; i < WebhookProfile.MAX_WAITING; i++) {
        long chat = firstChat + 100 + i % 16;
        Update update = Updates.text(chat, chat, "w" + i);
        accepted.add(update);
        pending.add(HTTP.sendAsync(request(update), HttpResponse.BodyHandlers.discarding()));
      }
      await(
          "a full waiting queue",
          () -> dispatcher.scheduler().waiting() >= WebhookProfile.MAX_WAITING);
      long refused = webhook.count(WebhookResource.Result.SATURATED);
      List<Update> extra = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        long chat = firstChat + 200 + i;
        Update update = Updates.text(chat, chat, "late");
        extra.add(update);
        HttpResponse<Void> response =
            HTTP.send(request(update), HttpResponse.BodyHandlers.discarding());
        assertEquals(503, response.statusCode());
        assertEquals("1", response.headers().firstValue("Retry-After").orElse(null));
        assertEquals(0, WebhookTestSetup.seen(update.getUpdateId()));
      }
      assertEquals(refused + 10, webhook.count(WebhookResource.Result.SATURATED));
      for (CompletableFuture<HttpResponse<Void>> response : pending) {
        assertEquals(200, response.get().statusCode()); // answered at the 1 s deadline
      }
      WebhookTestSetup.gate.countDown();
      for (Update update : extra) {
        assertEquals(200, postUntilAccepted(update)); // Telegram's re-send
      }
      accepted.addAll(extra);
      await("every reply", () -> repliesIn(firstChat, 300) >= accepted.size());
      for (Update update : accepted) {
        assertEquals(1, WebhookTestSetup.seen(update.getUpdateId()));
      }
      for (int i = 0; i < 16; i++) {
        long chat = firstChat + 100 + i;
        assertEquals(WebhookProfile.MAX_WAITING / 16, textsOf(chat).size(), "chat " + chat);
      }
    } finally {
      WebhookTestSetup.gate.countDown();
    }
  }

  @Test
  void aSlowHandlerIsAnsweredAtTheDeadlineAndFinishesLater() throws Exception {
    long chat = 9_500_001;
    Update update = Updates.text(chat, chat, WebhookTestSetup.BLOCK);
    long deadlines = webhook.count(WebhookResource.Result.DEADLINE);
    WebhookTestSetup.gate = new CountDownLatch(1);
    try {
      assertEquals(200, postUntilAccepted(update));
      // The handler is held until the gate opens, past the 1 s deadline: the answer came first.
      assertEquals(List.of(), textsOf(chat), "not finished when answered");
      assertEquals(deadlines + 1, webhook.count(WebhookResource.Result.DEADLINE));
    } finally {
      WebhookTestSetup.gate.countDown();
    }
    await("the held update's reply", () -> !textsOf(chat).isEmpty());
    assertEquals(List.of("1: " + WebhookTestSetup.BLOCK), textsOf(chat));
  }

  @Test
  void whileDrainingPostsGet503AndReadinessIsDownThenTheResendIsProcessed() throws Exception {
    long chat = 9_100_050;
    Update update = Updates.text(chat, chat, "while draining");
    draining.set(true);
    try {
      HttpResponse<Void> refused =
          HTTP.send(request(update), HttpResponse.BodyHandlers.discarding());
      assertEquals(503, refused.statusCode());
      assertEquals("1", refused.headers().firstValue("Retry-After").orElse(null));
      HttpResponse<String> ready =
          HTTP.send(
              HttpRequest.newBuilder(endpoint("/q/health/ready")).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(503, ready.statusCode(), ready.body());
      assertTrue(ready.body().contains("draining"), ready.body());
      HttpResponse<String> live =
          HTTP.send(
              HttpRequest.newBuilder(endpoint("/q/health/live")).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, live.statusCode(), "draining is no reason to restart: " + live.body());
      assertEquals(0, WebhookTestSetup.seen(update.getUpdateId()));
    } finally {
      draining.set(false);
    }
    // Telegram re-sends after the 503; a process that is not draining takes it.
    assertEquals(200, postUntilAccepted(update));
    assertEquals(1, WebhookTestSetup.seen(update.getUpdateId()));
  }
}
