package dev.botrunner.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeBotApiScriptTest {

  private static final Duration GUARD = Duration.ofSeconds(30);
  private static final String UNAUTHORIZED =
      "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}";

  private FakeBotApi api;
  private BotApiHttp http;

  @BeforeEach
  void start() {
    api = FakeBotApi.start();
    http = new BotApiHttp(api);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void aWrongTokenIsUnauthorizedButStillRecorded() throws Exception {
    String wrong = "987654321:AAAnotherTokenThatIsNotTheFakeOne_12";
    BotApiHttp.Answer answer = new BotApiHttp(api, wrong).post("getMe", "{}");
    assertEquals(401, answer.status());
    assertEquals(UNAUTHORIZED, answer.body());
    assertEquals(wrong, api.calls("getMe").get(0).token());
  }

  @Test
  void aRevokedTokenIsUnauthorizedFromThenOn() throws Exception {
    assertEquals(200, http.post("getMe", "{}").status());
    api.revokeToken();
    assertEquals(UNAUTHORIZED, http.post("getMe", "{}").body());
    assertEquals(401, http.post("getUpdates", "{}").status());
  }

  @Test
  void retryAfterCarriesTheWaitThenNormalAnswersResume() throws Exception {
    api.script("sendMessage").retryAfter(3).times(2);
    for (int i = 0; i < 2; i++) {
      BotApiHttp.Answer answer = http.post("sendMessage", "{\"chat_id\":5,\"text\":\"hi\"}");
      assertEquals(429, answer.status());
      JsonNode json = answer.json();
      assertFalse(json.get("ok").asBoolean());
      assertEquals(429, json.get("error_code").asInt());
      assertEquals("Too Many Requests: retry after 3", json.get("description").asText());
      assertEquals(3, json.at("/parameters/retry_after").asInt());
    }
    assertEquals(200, http.post("sendMessage", "{\"chat_id\":5,\"text\":\"hi\"}").status());
    assertEquals(1, api.sentMessages().size(), "refused messages are not sent messages");
    assertEquals(3, api.calls("sendMessage").size());
  }

  @Test
  void scriptedAnswersComeInOrderAndMatchTheMethodCaseInsensitively() throws Exception {
    api.script("SENDMESSAGE")
        .migrateTo(-1001234567890L)
        .error(403, "Forbidden: bot was blocked by the user")
        .serverError()
        .badGateway();
    String body = "{\"chat_id\":-4001,\"text\":\"hi\"}";
    BotApiHttp.Answer migrated = http.post("sendMessage", body);
    assertEquals(400, migrated.status());
    assertEquals(-1001234567890L, migrated.json().at("/parameters/migrate_to_chat_id").asLong());
    assertEquals(403, http.post("sendMessage", body).json().get("error_code").asInt());
    assertEquals(500, http.post("sendMessage", body).status());
    BotApiHttp.Answer gateway = http.post("sendMessage", body);
    assertEquals(502, gateway.status());
    assertTrue(gateway.body().contains("502 Bad Gateway"));
    assertEquals(200, http.post("sendMessage", body).status());
  }

  @Test
  void droppedConnectionFailsTheClientWithAnIOException() throws Exception {
    api.script("getMe").dropConnection();
    // The JDK client silently retries only idempotent requests, so this POST meets the drop.
    assertThrows(IOException.class, () -> http.post("getMe", "{}"));
    assertEquals(200, http.post("getMe", "{}").status());
  }

  @Test
  void aScriptedGetUpdatesAnswerConsumesNoUpdates() throws Exception {
    api.enqueue(Updates.sequence(10).text(7, 7, "keep me"));
    api.script("getUpdates").serverError().dropConnection();
    assertEquals(500, http.post("getUpdates", "{\"timeout\":0}").status());
    assertThrows(IOException.class, () -> http.post("getUpdates", "{\"timeout\":0}"));
    BotApiHttp.Answer answer = http.post("getUpdates", "{\"timeout\":0}");
    assertEquals(10, answer.result().get(0).get("update_id").asInt());
  }

  @Test
  void okReplacesTheResultAndUnknownMethodsAnswerTrue() throws Exception {
    api.script("getChat").ok("{\"id\":5,\"type\":\"private\",\"first_name\":\"Eve\"}");
    assertEquals(
        "Eve", http.post("getChat", "{\"chat_id\":5}").result().get("first_name").asText());
    BotApiHttp.Answer generic = http.post("answerCallbackQuery", "{\"callback_query_id\":\"1\"}");
    assertEquals("{\"ok\":true,\"result\":true}", generic.body());
    assertEquals("1", api.calls("answerCallbackQuery").get(0).param("callback_query_id"));
  }

  @Test
  void aDelayedAnswerIsHeldUntilTheFakeCloses() throws Exception {
    api.script("getMe").delay(Duration.ofMinutes(10));
    CompletableFuture<BotApiHttp.Answer> pending = http.postAsync("getMe", "{}");
    assertTrue(api.awaitCalls("getMe", 1, GUARD));
    assertFalse(pending.isDone(), "a ten-minute delay cannot be over yet");
    api.close();
    ExecutionException failure =
        assertThrows(
            ExecutionException.class, () -> pending.get(GUARD.toSeconds(), TimeUnit.SECONDS));
    assertTrue(failure.getCause() instanceof IOException, failure.getCause().toString());
  }

  @Test
  void latencyDelaysEveryAnswerButChangesNone() throws Exception {
    api.latency("getMe", Duration.ofMillis(20));
    api.script("getMe").error(420, "Flood").answerNormally().delay(Duration.ofMillis(20));
    assertEquals(420, http.post("getMe", "{}").status());
    assertEquals(200, http.post("getMe", "{}").status());
    assertEquals(200, http.post("getMe", "{}").status());
  }

  @Test
  void resetForgetsRecordingsOnly() throws Exception {
    api.script("getMe").serverError().times(2);
    assertEquals(500, http.post("getMe", "{}").status());
    api.reset();
    assertEquals(0, api.calls().size());
    assertEquals(500, http.post("getMe", "{}").status());
    assertEquals(2, api.calls().get(0).sequence(), "sequence numbers are never reused");
    api.script("getMe").serverError();
    api.clearScripts();
    assertEquals(200, http.post("getMe", "{}").status());
  }
}
