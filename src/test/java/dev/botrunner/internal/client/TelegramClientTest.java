package dev.botrunner.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.TelegramApiException;
import dev.botrunner.TelegramTransportException;
import dev.botrunner.testkit.FakeBotApi;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.objects.message.Message;

/** Telegram errors and transport errors are told apart, and neither carries the token. */
class TelegramClientTest {

  private final Vertx vertx = Vertx.vertx();
  private final FakeBotApi fake = FakeBotApi.start();
  private final TelegramClient client =
      TelegramClient.builder(vertx, fake.baseUrl(), FakeBotApi.TOKEN)
          .timeout(Duration.ofSeconds(2))
          .build();

  @AfterEach
  void tearDown() {
    client.close();
    fake.close();
    vertx.closeAndAwait();
  }

  @Test
  void genericCallAndShortcutsReachTheApi() {
    Message sent = client.call(new SendMessage("42", "hi")).await().indefinitely();
    assertEquals("hi", sent.getText());
    assertEquals("fake_bot", client.getMe().await().indefinitely().getUserName());
    assertEquals(42L, fake.sentMessages().get(0).chatId());
    assertEquals(
        "/bot" + FakeBotApi.TOKEN + "/sendMessage", fake.calls("sendMessage").get(0).path());
  }

  @Test
  void telegramErrorsCarryTheirParameters() {
    fake.script("sendMessage").retryAfter(7).migrateTo(-1001234L);
    TelegramApiException flood =
        assertThrows(
            TelegramApiException.class, () -> client.sendMessage(1, "x").await().indefinitely());
    assertEquals(429, flood.errorCode());
    assertEquals(7, flood.retryAfter());
    assertEquals("sendMessage", flood.method());
    TelegramApiException migrated =
        assertThrows(
            TelegramApiException.class, () -> client.sendMessage(1, "x").await().indefinitely());
    assertEquals(400, migrated.errorCode());
    assertEquals(-1001234L, migrated.migrateToChatId());
  }

  @Test
  void aSuccessThatCannotBeDecodedSaysWhereAndWhy() {
    // A getMe result of the wrong shape stands for what a native image without the Bot API types'
    // reflection registration saw: a 200 with ok:true that Jackson could not read.
    fake.script("getMe").ok("{\"id\":\"not-a-number\",\"is_bot\":true}");
    TelegramApiException failure =
        assertThrows(TelegramApiException.class, () -> client.getMe().await().indefinitely());
    assertTrue(failure.getMessage().contains("could not decode"), failure.getMessage());
    assertTrue(failure.getMessage().contains("User$UserBuilderImpl[\"id\"]"), failure.getMessage());
    assertTrue(failure.getMessage().contains("InvalidFormatException"), failure.getMessage());
  }

  @Test
  void transportErrorsAreDistinctAndRedacted() {
    fake.script("sendMessage")
        .dropConnection()
        .badGateway()
        .answerNormally()
        .delay(Duration.ofSeconds(5));
    TelegramTransportException dropped =
        assertThrows(
            TelegramTransportException.class,
            () -> client.sendMessage(1, "x").await().indefinitely());
    TelegramTransportException proxy =
        assertThrows(
            TelegramTransportException.class,
            () -> client.sendMessage(1, "x").await().indefinitely());
    assertTrue(proxy.getMessage().contains("HTTP 502"), proxy.getMessage());
    TelegramTransportException timeout =
        assertThrows(
            TelegramTransportException.class,
            () -> client.sendMessage(1, "x").await().indefinitely());
    for (RuntimeException e : new RuntimeException[] {dropped, proxy, timeout}) {
      assertFalse(e.toString().contains(FakeBotApi.TOKEN.substring(10)), e.toString());
      assertEquals(null, e.getCause());
    }
  }

  @Test
  void answersTolerateNewFieldsAndAWrongResultFailsAsWithTheLibrarysDecoder() {
    fake.script("sendMessage")
        .ok("{\"message_id\":5,\"date\":1,\"chat\":{\"id\":1,\"type\":\"private\"},\"new\":[1]}")
        .ok("[1, 2]");
    assertEquals(5, client.sendMessage(1, "x").await().indefinitely().getMessageId());
    // Well-formed Bot API JSON with a result of the wrong shape: a failed call, not a Message.
    TelegramApiException wrongShape =
        assertThrows(
            TelegramApiException.class, () -> client.sendMessage(1, "x").await().indefinitely());
    assertEquals(200, wrongShape.errorCode());
  }

  @Test
  void aLazyCallFailsLikeACallButDecodesOnlyWhenAsked() {
    fake.script("sendMessage").error(403, "Forbidden: bot was blocked by the user");
    TelegramApiException blocked =
        assertThrows(
            TelegramApiException.class,
            () -> client.callLazily(new SendMessage("1", "x")).await().indefinitely());
    assertEquals(403, blocked.errorCode());
    assertEquals("sendMessage", blocked.method());

    LazyResult<Message> sent =
        client.callLazily(new SendMessage("42", "hi")).await().indefinitely();
    assertEquals("hi", sent.get().getText());
    assertTrue(sent.get() == sent.get(), "decoded once");

    // ok:true with a result of the wrong shape: the call itself succeeded (the message went out),
    // and reading the result fails as call() fails at once.
    fake.script("sendMessage").ok("[1, 2]").ok("[1, 2]");
    TelegramApiException eager =
        assertThrows(
            TelegramApiException.class,
            () -> client.call(new SendMessage("1", "x")).await().indefinitely());
    LazyResult<Message> wrong = client.callLazily(new SendMessage("1", "x")).await().indefinitely();
    TelegramApiException lazy = assertThrows(TelegramApiException.class, wrong::get);
    assertEquals(eager.errorCode(), lazy.errorCode());
    assertEquals(eager.getMessage(), lazy.getMessage());
  }

  @Test
  void onlyAWellFormedObjectSayingOkTrueCountsAsOk() {
    for (String ok :
        new String[] {
          "{\"ok\":true,\"result\":{\"a\":[1,{\"ok\":false}]}}",
          "{\"result\":true,\"ok\":true}",
          " {\"description\":\"x\", \"ok\" : true} "
        }) {
      assertTrue(BotApiAnswers.saysOk(io.vertx.mutiny.core.buffer.Buffer.buffer(ok)), ok);
    }
    for (String notOk :
        new String[] {
          "",
          "[]",
          "true",
          "{\"ok\":false,\"error_code\":400}",
          "{\"ok\":\"true\"}",
          "{\"result\":{\"ok\":true}}",
          "{\"ok\":true,\"result\":{",
          "{\"ok\":true} trailing",
          "{\"ok\":true}{}"
        }) {
      assertFalse(BotApiAnswers.saysOk(io.vertx.mutiny.core.buffer.Buffer.buffer(notOk)), notOk);
    }
  }

  @Test
  void invalidMethodsFailBeforeAnyRequest() {
    assertThrows(
        IllegalArgumentException.class,
        () -> client.call(new SendMessage("", "")).await().indefinitely());
    assertTrue(fake.calls("sendMessage").isEmpty());
  }

  @Test
  void anInvalidApiUrlIsReportedWithoutTheToken() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TelegramClient.builder(
                        vertx,
                        "https://api.example.com/bot" + FakeBotApi.TOKEN + "/ x",
                        FakeBotApi.TOKEN)
                    .build());
    assertTrue(e.getMessage().startsWith("BOT_API_URL is not a valid URL"), e.getMessage());
    assertTrue(e.getMessage().contains("/bot<redacted>/ x"), e.getMessage());
    assertFalse(e.getMessage().contains(FakeBotApi.TOKEN.substring(10)), e.getMessage());
  }
}
