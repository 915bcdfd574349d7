package dev.botrunner.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeBotApiUpdatesTest {

  // Generous guards: they only keep a broken test from hanging the build.
  private static final Duration GUARD = Duration.ofSeconds(30);

  private FakeBotApi api;
  private BotApiHttp http;
  private UpdateFactory updates;

  @BeforeEach
  void start() {
    api = FakeBotApi.start();
    http = new BotApiHttp(api);
    updates = Updates.sequence(1);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private void enqueueTexts(int count) {
    for (int i = 0; i < count; i++) {
      api.enqueue(updates.text(7, 7, "m" + i));
    }
  }

  private static List<Integer> ids(BotApiHttp.Answer answer) {
    assertEquals(200, answer.status(), answer.body());
    List<Integer> ids = new ArrayList<>();
    answer.result().forEach(u -> ids.add(u.get("update_id").asInt()));
    return ids;
  }

  @Test
  void getMeDescribesTheBotAndTheTokenTravelsInThePath() throws Exception {
    JsonNode me = http.post("getMe", "{}").result();
    assertEquals(FakeBotApi.BOT_ID, me.get("id").asLong());
    assertTrue(me.get("is_bot").asBoolean());
    assertEquals("Fake Bot", me.get("first_name").asText());
    assertEquals("fake_bot", me.get("username").asText());
    RecordedCall call = api.calls("getme").get(0);
    assertEquals(FakeBotApi.TOKEN, call.token());
    assertFalse(call.toString().contains(FakeBotApi.TOKEN), "toString must not leak the token");
  }

  @Test
  void limitCapsTheBatchAndOffsetConfirmsForGood() throws Exception {
    enqueueTexts(5);
    assertEquals(List.of(1, 2), ids(http.post("getUpdates", "{\"limit\":2}")));
    assertEquals(5, api.pendingUpdates(), "handing out is not confirming");

    assertEquals(List.of(3, 4, 5), ids(http.post("getUpdates", "{\"offset\":3}")));
    assertEquals(3, api.pendingUpdates());

    // A smaller offset later cannot bring confirmed updates back.
    assertEquals(List.of(3, 4, 5), ids(http.post("getUpdates", "{\"offset\":1}")));
    assertEquals(List.of(), ids(http.post("getUpdates", "{\"offset\":6}")));
    assertEquals(0, api.pendingUpdates());
  }

  @Test
  void offsetConfirmsUpdatesQueuedOutOfOrderToo() throws Exception {
    // Telegram's ids only grow; a test may still queue them in any order, and confirming must not
    // rely on the queue being sorted.
    api.enqueueJson("{\"update_id\":5}");
    api.enqueueJson("{\"update_id\":3}");
    api.enqueueJson("{\"update_id\":7}");
    assertEquals(List.of(5, 3, 7), ids(http.post("getUpdates", "{\"timeout\":0}")));
    assertEquals(List.of(7), ids(http.post("getUpdates", "{\"offset\":6,\"timeout\":0}")));
  }

  @Test
  void deliveriesCountEachAnswerThatCarriedAnUpdateUntilReset() throws Exception {
    enqueueTexts(3);
    assertEquals(List.of(1, 2), ids(http.post("getUpdates", "{\"limit\":2}")));
    // Offset 2 confirms update 1 only, so 2 comes again with 3.
    assertEquals(List.of(2, 3), ids(http.post("getUpdates", "{\"offset\":2}")));
    assertEquals(
        List.of(1, 2, 1), List.of(api.deliveries(1), api.deliveries(2), api.deliveries(3)));
    assertEquals(0, api.deliveries(4));
    assertEquals(Map.of(1, 1, 2, 2, 3, 1), api.deliveries(), "the same counts at once");

    api.reset();
    assertEquals(0, api.deliveries(2));
    assertEquals(List.of(3), ids(http.post("getUpdates", "{\"offset\":3}")));
    assertEquals(1, api.deliveries(3));
  }

  @Test
  void limitDefaultsToAHundredAndIsClamped() throws Exception {
    enqueueTexts(120);
    assertEquals(100, ids(http.post("getUpdates", "{}")).size());
    assertEquals(100, ids(http.post("getUpdates", "{\"limit\":500}")).size());
    assertEquals(1, ids(http.post("getUpdates", "{\"limit\":-3}")).size());
  }

  @Test
  void negativeOffsetKeepsOnlyTheLastUpdates() throws Exception {
    enqueueTexts(4);
    assertEquals(List.of(4), ids(http.post("getUpdates", "{\"offset\":-1}")));
    assertEquals(1, api.pendingUpdates());
  }

  @Test
  void timeoutZeroAnswersAtOnceWithAnEmptyList() throws Exception {
    BotApiHttp.Answer answer = http.post("getUpdates", "{\"timeout\":0}");
    assertEquals(200, answer.status());
    assertEquals("{\"ok\":true,\"result\":[]}", answer.body());
  }

  @Test
  void longPollWakesWhenAnUpdateIsEnqueued() throws Exception {
    // Ten minutes: if the wake-up were missing, the guard below would fail the test.
    CompletableFuture<BotApiHttp.Answer> poll =
        http.postAsync("getUpdates", "{\"offset\":1,\"timeout\":600}");
    assertTrue(api.awaitCalls("getUpdates", 1, GUARD));
    api.enqueue(updates.text(7, 7, "wake up"));
    BotApiHttp.Answer answer = poll.get(GUARD.toSeconds(), TimeUnit.SECONDS);
    assertEquals(List.of(1), ids(answer));
    assertEquals("wake up", answer.result().get(0).at("/message/text").asText());
  }

  @Test
  void longPollWithNothingPendingEndsEmptyAfterItsTimeout() throws Exception {
    assertEquals(List.of(), ids(http.post("getUpdates", "{\"timeout\":1}")));
  }

  @Test
  void aHundredConcurrentLongPollsAllWake() throws Exception {
    List<CompletableFuture<BotApiHttp.Answer>> polls = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      polls.add(http.postAsync("getUpdates", "{\"timeout\":600}"));
    }
    assertTrue(api.awaitCalls("getUpdates", 100, GUARD));
    api.enqueue(updates.text(7, 7, "everyone"));
    for (CompletableFuture<BotApiHttp.Answer> poll : polls) {
      assertEquals(List.of(1), ids(poll.get(GUARD.toSeconds(), TimeUnit.SECONDS)));
    }
  }

  @Test
  void parametersAreRecordedWhateverTheEncoding() throws Exception {
    enqueueTexts(3);
    http.post("getUpdates", "{\"offset\":1,\"limit\":5,\"timeout\":0,\"allowed_updates\":[]}");
    assertEquals(List.of(2, 3), ids(http.get("getUpdates", "offset=2&limit=10")));
    http.form("getUpdates", "offset=3&allowed_updates=%5B%22message%22%5D");

    List<GetUpdatesCall> calls = api.getUpdatesCalls();
    assertEquals(3, calls.size());
    assertEquals(List.of(), calls.get(0).allowedUpdates());
    assertEquals(5, calls.get(0).limit());
    assertEquals(0, calls.get(0).timeout());
    assertEquals("GET", calls.get(1).call().httpMethod());
    assertNull(calls.get(1).allowedUpdates());
    assertNull(calls.get(1).timeout());
    assertEquals(3L, calls.get(2).offset());
    assertEquals(List.of("message"), calls.get(2).allowedUpdates());
    assertEquals(1, api.pendingUpdates());
  }

  @Test
  void anActiveWebhookBlocksGetUpdatesUntilDeleted() throws Exception {
    enqueueTexts(1);
    api.setWebhookUrl("https://bot.example.org/hook");
    BotApiHttp.Answer conflict = http.post("getUpdates", "{}");
    assertEquals(409, conflict.status());
    assertEquals(
        "{\"ok\":false,\"error_code\":409,\"description\":\"Conflict: can't use getUpdates method"
            + " while webhook is active; use deleteWebhook to delete the webhook first\"}",
        conflict.body());
    JsonNode info = http.post("getWebhookInfo", "{}").result();
    assertEquals("https://bot.example.org/hook", info.get("url").asText());
    assertEquals(1, info.get("pending_update_count").asInt());

    assertTrue(http.post("deleteWebhook", "{}").result().asBoolean());
    assertEquals("", http.post("getWebhookInfo", "{}").result().get("url").asText());
    assertEquals(List.of(1), ids(http.post("getUpdates", "{}")));
  }

  @Test
  void setWebhookIsRecordedInTheWebhookState() throws Exception {
    http.post(
        "setWebhook",
        "{\"url\":\"https://bot.example.org/h\",\"secret_token\":\"s3cr3t\","
            + "\"allowed_updates\":[\"message\",\"callback_query\"],\"max_connections\":10}");
    JsonNode info = http.post("getWebhookInfo", "{}").result();
    assertEquals(10, info.get("max_connections").asInt());
    assertEquals("[\"message\",\"callback_query\"]", info.get("allowed_updates").toString());
    assertEquals("s3cr3t", api.webhookSecretToken());
    assertEquals(409, http.post("getUpdates", "{}").status());
    assertEquals(
        "Webhook was deleted", http.post("deleteWebhook", "{}").json().get("description").asText());
    assertEquals(200, http.post("getUpdates", "{}").status());
  }
}
