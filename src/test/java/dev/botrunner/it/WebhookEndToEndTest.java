package dev.botrunner.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.dispatch.Dispatcher;
import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.RecordedCall;
import dev.botrunner.testkit.SentMessage;
import dev.botrunner.testkit.Updates;
import dev.botrunner.update.WebhookResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * The service in webhook mode (second boot, {@link WebhookProfile}), driven over HTTP like Telegram
 * would: the secret header, one update per POST, re-sends after 503. The demo bot's {@code <n>:
 * <text>} replies show that each update ran once, in order per chat, with its session.
 */
@QuarkusTest
@TestProfile(WebhookProfile.class)
class WebhookEndToEndTest {

  private static final String PATH = "/telegram/webhook";
  private static HttpClient http;

  @Inject WebhookResource webhook;
  @Inject Dispatcher dispatcher;
  @Inject dev.botrunner.update.PollingLifecycle lifecycle;

  @BeforeAll
  static void client() {
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterAll
  static void closeClient() {
    http = null;
  }

  private static URI endpoint() {
    return URI.create("http://localhost:" + RestAssured.port + PATH);
  }

  static HttpRequest request(Update update) {
    return HttpRequest.newBuilder(endpoint())
        .header("Content-Type", "application/json")
        .header(WebhookResource.SECRET_HEADER, WebhookProfile.SECRET)
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(Updates.toJson(update)))
        .build();
  }

  /** Posts like Telegram: re-sends after a 503 (sooner than Retry-After, to keep tests short). */
  private static int postUntilAccepted(Update update) throws Exception {
    for (int attempt = 0; attempt < 200; attempt++) {
      int status = http.send(request(update), HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status != 503) {
        return status;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("update " + update.getUpdateId() + " was refused 200 times");
  }

  private static List<String> textsOf(long chat) {
    return FakeBotApiResource.fake().sentMessages(chat).stream().map(SentMessage::text).toList();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  private static long repliesIn(long firstChat, int chats) {
    return FakeBotApiResource.fake().sentMessages().stream()
        .filter(m -> m.chatId() >= firstChat && m.chatId() < firstChat + chats)
        .count();
  }

  private static List<String> numbered(List<String> texts) {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      expected.add((i + 1) + ": " + texts.get(i));
    }
    return expected;
  }

  @Test
  void whileDrainingPostsGet503AndReadinessIsDownThenTheResendIsProcessed() throws Exception {
    long chat = 9_100_050;
    Update update = Updates.text(chat, chat, "while draining");
    lifecycle.setDraining(true);
    try {
      HttpResponse<Void> refused =
          http.send(request(update), HttpResponse.BodyHandlers.discarding());
      assertEquals(503, refused.statusCode());
      assertEquals("1", refused.headers().firstValue("Retry-After").orElse(null));
      HttpResponse<String> ready =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://localhost:" + RestAssured.port + "/q/health/ready"))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(503, ready.statusCode(), ready.body());
      assertTrue(ready.body().contains("draining"), ready.body());
      assertEquals(0, WebhookTestSetup.seen(update.getUpdateId()));
    } finally {
      lifecycle.setDraining(false);
    }
    // Telegram re-sends after the 503; a process that is not draining takes it.
    assertEquals(200, postUntilAccepted(update));
    assertEquals(1, WebhookTestSetup.seen(update.getUpdateId()));
  }

  @Test
  void registersTheWebhookAtStartup() throws Exception {
    FakeBotApi fake = FakeBotApiResource.fake();
    assertTrue(fake.awaitCalls("setWebhook", 1, Duration.ofSeconds(20)));
    assertTrue(fake.calls("getWebhookInfo").size() >= 1);
    assertEquals(WebhookProfile.URL, fake.webhookUrl());
    assertEquals(WebhookProfile.SECRET, fake.webhookSecretToken());
    RecordedCall set = fake.calls("setWebhook").get(0);
    assertEquals(Integer.toString(WebhookProfile.MAX_CONNECTIONS), set.param("max_connections"));
    assertTrue(fake.calls("deleteWebhook").isEmpty());
    // The startup probe waits for the registration (it may lag the setWebhook call slightly).
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    int status = 0;
    while (System.nanoTime() < deadline
        && (status = given().get("/q/health/started").statusCode()) != 200) {
      Thread.sleep(50);
    }
    assertEquals(200, status);
    given()
        .get("/q/health/started")
        .then()
        .body("checks.find { it.name == 'bot-started' }.data.webhookStartupDone", equalTo(true));
  }

  @Test
  void badRequestsAreRefusedBeforeMiddleware() throws Exception {
    long chat = 9_100_001;
    Update update = Updates.text(chat, chat, "let me in");
    String json = Updates.toJson(update);
    long unauthorized = webhook.count(WebhookResource.Result.UNAUTHORIZED);

    given().contentType("application/json").body(json).post(PATH).then().statusCode(401);
    given()
        .contentType("application/json")
        .header(WebhookResource.SECRET_HEADER, WebhookProfile.SECRET + "x")
        .body(json)
        .post(PATH)
        .then()
        .statusCode(401);
    given()
        .contentType("application/json")
        .header(WebhookResource.SECRET_HEADER, "")
        .body(json)
        .post(PATH)
        .then()
        .statusCode(401);
    given()
        .contentType("application/json")
        .header(WebhookResource.SECRET_HEADER, WebhookProfile.SECRET)
        .body("{\"update_id\": 5, \"message\": {")
        .post(PATH)
        .then()
        .statusCode(400);
    given()
        .contentType("application/json")
        .header(WebhookResource.SECRET_HEADER, WebhookProfile.SECRET)
        .body("[1, 2]")
        .post(PATH)
        .then()
        .statusCode(400);
    String padded =
        json.substring(0, json.length() - 1) + ",\"pad\":\"" + "x".repeat(1 << 20) + "\"}";
    given()
        .contentType("application/json")
        .header(WebhookResource.SECRET_HEADER, WebhookProfile.SECRET)
        .body(padded)
        .post(PATH)
        .then()
        .statusCode(413);
    given()
        .header(WebhookResource.SECRET_HEADER, WebhookProfile.SECRET)
        .get(PATH)
        .then()
        .statusCode(405)
        .header("Allow", "POST");
    given()
        .contentType("text/plain")
        .header(WebhookResource.SECRET_HEADER, WebhookProfile.SECRET)
        .body(json)
        .post(PATH)
        .then()
        .statusCode(415);

    assertEquals(unauthorized + 3, webhook.count(WebhookResource.Result.UNAUTHORIZED));
    Thread.sleep(300);
    assertEquals(0, WebhookTestSetup.seen(update.getUpdateId()), "no middleware call");
    assertEquals(List.of(), textsOf(chat));
  }

  @Test
  void unknownFieldsAndUpdateTypesAreAccepted() throws Exception {
    long chat = 9_150_001;
    Update update = Updates.text(chat, chat, "hi");
    String json = Updates.toJson(update);
    String extended =
        json.substring(0, json.length() - 1) + ",\"some_future_update\":{\"x\":1},\"f\":[1]}";
    given()
        .contentType("application/json; charset=utf-8")
        .header(WebhookResource.SECRET_HEADER, WebhookProfile.SECRET)
        .body(extended)
        .post(PATH)
        .then()
        .statusCode(200);
    assertEquals(List.of("1: hi"), textsOf(chat));
    assertEquals(1, WebhookTestSetup.seen(update.getUpdateId()));
  }

  @Test
  void thousandUpdatesOverFiftyChatsFromFortyConnectionsRunOnceInOrder() throws Exception {
    long firstChat = 9_200_000;
    int chats = 50;
    int perChat = 20;
    List<List<Update>> byChat = new ArrayList<>();
    for (int c = 0; c < chats; c++) {
      List<Update> updates = new ArrayList<>();
      for (int i = 1; i <= perChat; i++) {
        updates.add(Updates.text(firstChat + c, firstChat + c, "m" + i));
      }
      byChat.add(updates);
    }
    // Like Telegram: 40 connections, and one chat's updates are posted one after another.
    ExecutorService connections = Executors.newFixedThreadPool(40);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 40; t++) {
        int thread = t;
        done.add(
            connections.submit(
                () -> {
                  for (int c = thread; c < chats; c += 40) {
                    for (Update update : byChat.get(c)) {
                      assertEquals(200, postUntilAccepted(update));
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      connections.shutdownNow();
    }
    await("1000 replies", () -> repliesIn(firstChat, chats) >= (long) chats * perChat);
    for (int c = 0; c < chats; c++) {
      List<String> texts = new ArrayList<>();
      for (int i = 1; i <= perChat; i++) {
        texts.add("m" + i);
      }
      assertEquals(numbered(texts), textsOf(firstChat + c), "chat " + (firstChat + c));
      for (Update update : byChat.get(c)) {
        assertEquals(1, WebhookTestSetup.seen(update.getUpdateId()));
      }
    }
  }

  /**
   * A client that posts one chat's updates concurrently: they reach the server in an arbitrary
   * order (network and threads decide), so nothing can restore update_id order. What the scheduler
   * guarantees, and what is asserted, is that each chat's updates run one at a time, exactly once,
   * in the order they reached the dispatcher ({@link ArrivalRecorder}).
   */
  @Test
  void concurrentPostsOfOneChatRunOneAtATimeInArrivalOrder() throws Exception {
    long firstChat = 9_300_000;
    int chats = 5;
    int perChat = 60;
    ConcurrentLinkedQueue<Update> queue = new ConcurrentLinkedQueue<>();
    for (int i = 1; i <= perChat; i++) {
      for (int c = 0; c < chats; c++) {
        queue.add(Updates.text(firstChat + c, firstChat + c, "c" + i));
      }
    }
    List<Update> all = List.copyOf(queue);
    ExecutorService connections = Executors.newFixedThreadPool(30);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 30; t++) {
        done.add(
            connections.submit(
                () -> {
                  for (Update u = queue.poll(); u != null; u = queue.poll()) {
                    assertEquals(200, postUntilAccepted(u));
                  }
                  return null;
                }));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      connections.shutdownNow();
    }
    await("replies", () -> repliesIn(firstChat, chats) >= (long) chats * perChat);
    for (int c = 0; c < chats; c++) {
      long chat = firstChat + c;
      List<String> arrivals = ArrivalRecorder.arrivals(chat);
      assertEquals(perChat, arrivals.size(), "chat " + chat);
      assertEquals(numbered(arrivals), textsOf(chat), "chat " + chat);
    }
    for (Update update : all) {
      assertEquals(1, WebhookTestSetup.seen(update.getUpdateId()));
    }
  }

  @Test
  void aResentUpdateIsProcessedOnce() throws Exception {
    long chat = 9_400_001;
    Update update = Updates.text(chat, chat, "once");
    // Twice at the same time (the second finds the first in flight), then once more afterwards.
    CompletableFuture<HttpResponse<Void>> first =
        http.sendAsync(request(update), HttpResponse.BodyHandlers.discarding());
    CompletableFuture<HttpResponse<Void>> second =
        http.sendAsync(request(update), HttpResponse.BodyHandlers.discarding());
    assertEquals(200, first.get().statusCode());
    assertEquals(200, second.get().statusCode());
    assertEquals(200, postUntilAccepted(update));
    Thread.sleep(300);
    assertEquals(List.of("1: once"), textsOf(chat));
    assertEquals(1, WebhookTestSetup.seen(update.getUpdateId()));
    assertTrue(webhook.count(WebhookResource.Result.DUPLICATE) >= 2);
  }

  @Test
  void aFailingUpdateIsAnswered200SoTelegramDoesNotResendItForever() throws Exception {
    Update update = Updates.text(9_600_001, 9_600_001, WebhookTestSetup.FAIL);
    assertEquals(200, postUntilAccepted(update));
    assertEquals(200, postUntilAccepted(update));
    assertEquals(1, WebhookTestSetup.seen(update.getUpdateId()), "the re-send was a duplicate");
  }

  @Test
  void aSlowHandlerIsAnsweredAtTheDeadlineAndFinishesLater() throws Exception {
    long chat = 9_500_001;
    Update update = Updates.text(chat, chat, WebhookTestSetup.SLOW);
    long deadlines = webhook.count(WebhookResource.Result.DEADLINE);
    assertEquals(200, postUntilAccepted(update));
    // The handler sleeps well past the 1 s deadline: the answer came first, the effect later.
    assertEquals(List.of(), textsOf(chat), "not finished when answered");
    assertEquals(deadlines + 1, webhook.count(WebhookResource.Result.DEADLINE));
    await("the slow reply", () -> !textsOf(chat).isEmpty());
    assertEquals(List.of("1: " + WebhookTestSetup.SLOW), textsOf(chat));
  }

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
        pending.add(http.sendAsync(request(update), HttpResponse.BodyHandlers.discarding()));
      }
      await(
          "every slot blocked",
          () -> dispatcher.scheduler().running() >= WebhookProfile.CONCURRENCY);
      for (int i = 0; i < WebhookProfile.MAX_WAITING; i++) {
        long chat = firstChat + 100 + i % 16;
        Update update = Updates.text(chat, chat, "w" + i);
        accepted.add(update);
        pending.add(http.sendAsync(request(update), HttpResponse.BodyHandlers.discarding()));
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
            http.send(request(update), HttpResponse.BodyHandlers.discarding());
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
}
