package dev.botrunner.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.FakeBotApiResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The probes report the bot's own state, and never the token. */
@QuarkusTest
@WithTestResource(FakeBotApiResource.class)
class HealthTest {

  @Test
  void readyWhenTheTokenIsAcceptedAndTheLoopPolls() throws InterruptedException {
    // getMe is the first call of the loop; wait for it rather than racing the probe.
    assertTrue(FakeBotApiResource.fake().awaitCalls("getUpdates", 1, Duration.ofSeconds(30)));
    given()
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body("checks.name", hasItem("bot"))
        .body("checks.find { it.name == 'bot' }.data.poller", equalTo("polling"))
        .body("checks.find { it.name == 'bot' }.data.authorized", equalTo(true))
        .body("checks.find { it.name == 'database' }.status", equalTo("UP"))
        .body("checks.find { it.name == 'database' }.data.store", equalTo("memory"))
        .body(not(containsString(FakeBotApi.TOKEN.substring(10))));
    given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    given()
        .when()
        .get("/q/health/started")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body("checks.find { it.name == 'bot-started' }.data.schemaReady", equalTo(true));
  }
}
