package dev.botrunner.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.FakeBotApiResource;
import dev.botrunner.testkit.RecordedCall;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Webhook registration at startup ({@link WebhookProfile}'s boot): {@code setWebhook} with the
 * configured URL, secret and max_connections, never {@code deleteWebhook}, and the startup probe
 * waits for it.
 */
@QuarkusTest
@TestProfile(WebhookProfile.class)
class WebhookStartupTest {

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
}
