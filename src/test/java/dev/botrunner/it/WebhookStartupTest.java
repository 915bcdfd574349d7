package dev.botrunner.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
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

  /** How long the boot may take to register the webhook and report started. */
  private static final Duration STARTUP = Duration.ofSeconds(20);

  @Test
  void registersTheWebhookAtStartup() throws Exception {
    FakeBotApi fake = FakeBotApiResource.fake();
    assertTrue(fake.awaitCalls("setWebhook", 1, STARTUP), "setWebhook called");
    assertTrue(fake.calls("getWebhookInfo").size() >= 1);
    assertEquals(WebhookProfile.URL, fake.webhookUrl());
    assertEquals(WebhookProfile.SECRET, fake.webhookSecretToken());
    RecordedCall set = fake.calls("setWebhook").get(0);
    assertEquals(Integer.toString(WebhookProfile.MAX_CONNECTIONS), set.param("max_connections"));
    assertTrue(fake.calls("deleteWebhook").isEmpty());
    // The startup probe waits for the registration (it may lag the setWebhook call slightly).
    await("the startup probe UP")
        .atMost(STARTUP)
        .untilAsserted(() -> given().get("/q/health/started").then().statusCode(200));
    given()
        .get("/q/health/started")
        .then()
        .body("checks.find { it.name == 'bot-started' }.data.webhookStartupDone", equalTo(true));
  }
}
