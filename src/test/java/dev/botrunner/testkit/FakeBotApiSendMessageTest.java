package dev.botrunner.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.message.Message;

class FakeBotApiSendMessageTest {

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

  private BotApiHttp.Answer send(long chatId, String text) throws Exception {
    return http.post(
        "sendMessage", Json.write(Json.object().put("chat_id", chatId).put("text", text)));
  }

  @Test
  void answersATelegramMessageWithIdsIncreasingPerChat() throws Exception {
    Message first = Json.MAPPER.treeToValue(send(100, "one").result(), Message.class);
    Message second = Json.MAPPER.treeToValue(send(100, "two").result(), Message.class);
    Message other = Json.MAPPER.treeToValue(send(-4002, "three").result(), Message.class);

    assertEquals(1, first.getMessageId());
    assertEquals(2, second.getMessageId());
    assertEquals(1, other.getMessageId());
    assertEquals("two", second.getText());
    assertEquals("private", second.getChat().getType());
    assertEquals("group", other.getChat().getType());
    assertEquals(FakeBotApi.BOT_ID, second.getFrom().getId());
    assertTrue(second.getFrom().getIsBot());
    assertTrue(second.getDate() > 0);
  }

  @Test
  void recordsSentMessagesInArrivalOrder() throws Exception {
    send(100, "one");
    send(200, "two");
    http.form("sendMessage", "chat_id=100&text=three%20%E2%9C%93");

    List<SentMessage> sent = api.sentMessages();
    assertEquals(List.of("one", "two", "three ✓"), sent.stream().map(SentMessage::text).toList());
    assertEquals(List.of(1L, 2L, 3L), sent.stream().map(SentMessage::sequence).toList());
    assertEquals(
        List.of(1, 2), api.sentMessages(100).stream().map(SentMessage::messageId).toList());
    assertEquals("100", sent.get(2).call().param("chat_id"));
    assertEquals("two", sent.get(1).call().params().get("text").asText());
  }

  @Test
  void awaitSentMessagesSeesConcurrentSends() throws Exception {
    List<CompletableFuture<BotApiHttp.Answer>> sends = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sends.add(http.postAsync("sendMessage", "{\"chat_id\":300,\"text\":\"n" + i + "\"}"));
    }
    assertTrue(api.awaitSentMessages(20, Duration.ofSeconds(30)));
    List<Integer> ids = api.sentMessages(300).stream().map(SentMessage::messageId).toList();
    assertEquals(20, ids.stream().distinct().count());
    // Every send answered: no 21st can still arrive, so the count is final without waiting.
    sends.forEach(CompletableFuture::join);
    assertFalse(api.awaitSentMessages(21, Duration.ZERO), "a count never reached times out");
  }

  @Test
  void rejectsWhatTelegramRejects() throws Exception {
    BotApiHttp.Answer noText = http.post("sendMessage", "{\"chat_id\":1}");
    assertEquals(400, noText.status());
    assertEquals("Bad Request: message text is empty", noText.json().get("description").asText());
    assertEquals(400, http.post("sendMessage", "{\"text\":\"x\"}").status());
    assertEquals(400, http.post("sendMessage", "{not json").status());
    assertEquals(0, api.sentMessages().size());
  }
}
