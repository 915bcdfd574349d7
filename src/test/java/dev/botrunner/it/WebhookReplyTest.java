package dev.botrunner.it;

import static dev.botrunner.it.WebhookClient.HTTP;
import static dev.botrunner.it.WebhookClient.await;
import static dev.botrunner.it.WebhookClient.request;
import static dev.botrunner.it.WebhookClient.textsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botrunner.internal.client.BotJson;
import dev.botrunner.testkit.Updates;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * {@code BOT_WEBHOOK_REPLY=true}: an update's only reply goes in the answer to the post, not by a
 * request of its own; a second call sends both by request, in order; an update still running at the
 * deadline is answered empty and sends its reply itself.
 */
@QuarkusTest
@TestProfile(WebhookReplyTest.Reply.class)
class WebhookReplyTest {

  /** The webhook profile with replies in the answer. */
  public static class Reply extends WebhookProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
      overrides.put("bot.webhook.reply", "true");
      return overrides;
    }
  }

  @Test
  void theOnlyReplyGoesInTheAnswer() throws Exception {
    long chat = 6_100_001;
    HttpResponse<String> answer =
        HTTP.send(request(Updates.text(chat, chat, "hello")), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, answer.statusCode());
    assertEquals("application/json", answer.headers().firstValue("Content-Type").orElse(""));
    JsonNode call = BotJson.MAPPER.readTree(answer.body());
    assertEquals("sendmessage", call.get("method").asText().toLowerCase(java.util.Locale.ROOT));
    assertEquals(Long.toString(chat), call.get("chat_id").asText());
    assertEquals("1: hello", call.get("text").asText());
    // The answer comes when the update has finished, and a call of its own would have been made
    // before that: none was.
    assertEquals(List.of(), textsOf(chat));
  }

  @Test
  void aSecondCallSendsBothInOrderAndTheAnswerIsEmpty() throws Exception {
    long chat = 6_100_002;
    HttpResponse<String> answer =
        HTTP.send(
            request(Updates.text(chat, chat, TwoRepliesSetup.TWICE)),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, answer.statusCode());
    assertEquals("", answer.body());
    assertEquals(List.of("first", "second"), textsOf(chat));
  }

  @Test
  void anUpdateAnsweredAtTheDeadlineSendsItsReplyItself() throws Exception {
    long chat = 6_100_003;
    WebhookTestSetup.gate = new CountDownLatch(1);
    try {
      HttpResponse<String> answer =
          HTTP.send(
              request(Updates.text(chat, chat, WebhookTestSetup.BLOCK)),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, answer.statusCode());
      assertEquals("", answer.body(), "answered at the deadline, before the reply existed");
    } finally {
      WebhookTestSetup.gate.countDown();
    }
    await("the reply by request", () -> textsOf(chat).size() == 1);
    assertTrue(textsOf(chat).get(0).endsWith(WebhookTestSetup.BLOCK), textsOf(chat).toString());
  }
}
