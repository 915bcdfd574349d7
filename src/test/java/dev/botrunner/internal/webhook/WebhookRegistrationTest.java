package dev.botrunner.internal.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.internal.client.BotJson;
import dev.botrunner.internal.client.TelegramClient;
import dev.botrunner.internal.logging.LogCapture;
import dev.botrunner.internal.logging.TokenRedactor;
import dev.botrunner.testkit.FakeBotApi;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.WebhookInfo;

/** setWebhook is called only when getWebhookInfo shows a difference. */
class WebhookRegistrationTest {

  private static final String URL = "https://bot.example.com/telegram/webhook";

  private static WebhookInfo info(String json) throws Exception {
    return BotJson.MAPPER.readValue(json, WebhookInfo.class);
  }

  @Test
  void sameRegistrationIsLeftAlone() throws Exception {
    WebhookInfo info =
        info(
            "{\"url\":\""
                + URL
                + "\",\"has_custom_certificate\":false,\"pending_update_count\":3,"
                + "\"max_connections\":40,\"allowed_updates\":[\"message\",\"callback_query\"]}");
    assertNull(
        WebhookRegistration.difference(info, URL, List.of("callback_query", "message"), 40, true));
    assertNull(WebhookRegistration.difference(info, URL, null, 40, true));
  }

  @Test
  void eachDifferenceIsFound() throws Exception {
    WebhookInfo info =
        info("{\"url\":\"" + URL + "\",\"pending_update_count\":0,\"max_connections\":40}");
    assertNotNull(WebhookRegistration.difference(info, URL + "2", null, 40, true));
    assertNotNull(WebhookRegistration.difference(info, URL, null, 41, true));
    assertNotNull(WebhookRegistration.difference(info, URL, List.of("message"), 40, true));
    assertNotNull(WebhookRegistration.difference(info("{\"url\":\"\"}"), URL, null, 40, false));
  }

  @Test
  void aRefusedDeliveryHintsAtAChangedSecret() throws Exception {
    WebhookInfo info =
        info(
            "{\"url\":\""
                + URL
                + "\",\"max_connections\":40,\"last_error_date\":1,"
                + "\"last_error_message\":\"Wrong response from the webhook: 401 Unauthorized\"}");
    assertNotNull(WebhookRegistration.difference(info, URL, null, 40, true));
  }

  @Test
  void theUrlIsLoggedWithoutTheToken() {
    String secretPart = FakeBotApi.TOKEN.substring(FakeBotApi.TOKEN.indexOf(':') + 1);
    Vertx vertx = Vertx.vertx();
    try (FakeBotApi fake = FakeBotApi.start();
        LogCapture log = new LogCapture()) {
      TelegramClient api =
          TelegramClient.builder(vertx, fake.baseUrl(), FakeBotApi.TOKEN)
              .maxConnections(4)
              .timeout(Duration.ofSeconds(10))
              .build();
      TokenRedactor redactor = new TokenRedactor(FakeBotApi.TOKEN);
      String withToken = "https://bot.example.com/tg/" + FakeBotApi.TOKEN;
      String withSecret = "https://bot.example.com/hook/" + secretPart;
      for (String url : List.of(withToken, withToken, withSecret)) {
        WebhookRegistration.register(api, url, "s3cret", null, 40, redactor)
            .await()
            .atMost(Duration.ofSeconds(30));
      }
      assertEquals(withSecret, fake.webhookUrl(), "Telegram got the real URL");
      assertTrue(
          log.contains("webhook registered at https://bot.example.com/tg/<redacted>"),
          log.lines().toString());
      assertTrue(
          log.contains("webhook already registered at https://bot.example.com/tg/<redacted>"),
          log.lines().toString());
      assertTrue(
          log.contains("webhook registered at https://bot.example.com/hook/<redacted>"),
          log.lines().toString());
      assertFalse(log.contains(secretPart), "no log line carries the token");
      api.close();
    } finally {
      vertx.closeAndAwait();
    }
  }
}
