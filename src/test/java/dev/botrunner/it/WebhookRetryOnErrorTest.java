package dev.botrunner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.botrunner.testkit.Updates;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * With BOT_WEBHOOK_RETRY_ON_ERROR=true a failed update is answered 500 and runs again on re-send.
 */
@QuarkusTest
@TestProfile(WebhookRetryOnErrorTest.RetryOnError.class)
class WebhookRetryOnErrorTest {

  /** The webhook profile with retry-on-error switched on. */
  public static class RetryOnError extends WebhookProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
      overrides.put("bot.webhook.retry-on-error", "true");
      return overrides;
    }
  }

  @Test
  void aFailedUpdateIsAnswered500AndProcessedAgainWhenResent() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    // A chat no other test bot claims (RequestScopeSetup answers 9,700,000 to 9,700,999 itself).
    Update update = Updates.text(9_900_001, 9_900_001, WebhookTestSetup.FAIL);
    int first =
        http.send(WebhookClient.request(update), HttpResponse.BodyHandlers.discarding())
            .statusCode();
    int second =
        http.send(WebhookClient.request(update), HttpResponse.BodyHandlers.discarding())
            .statusCode();
    assertEquals(500, first);
    assertEquals(500, second);
    assertEquals(2, WebhookTestSetup.seen(update.getUpdateId()), "the re-send ran again");
  }
}
