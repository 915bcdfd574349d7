package dev.botrunner.it;

import static dev.botrunner.it.WebhookClient.PATH;
import static dev.botrunner.it.WebhookClient.await;
import static dev.botrunner.it.WebhookClient.textsOf;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.internal.webhook.WebhookResource;
import dev.botrunner.testkit.Updates;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * The webhook in front of middleware ({@link WebhookProfile}'s boot): a missing or wrong secret,
 * malformed JSON, an oversize body, the wrong method or content type are refused before any
 * middleware runs, while unknown fields and update types are accepted.
 */
@QuarkusTest
@TestProfile(WebhookProfile.class)
class WebhookBadInputTest {

  @Inject WebhookResource webhook;

  /** Posts {@code body} as JSON with the secret header set to {@code secret}. */
  private static ValidatableResponse postJson(String secret, String body) {
    return given()
        .contentType("application/json")
        .header(WebhookResource.SECRET_HEADER, secret)
        .body(body)
        .post(PATH)
        .then();
  }

  @Test
  void badRequestsAreRefusedBeforeMiddleware() throws Exception {
    long chat = 9_100_001;
    Update update = Updates.text(chat, chat, "let me in");
    String json = Updates.toJson(update);
    long unauthorized = webhook.count(WebhookResource.Result.UNAUTHORIZED);

    given().contentType("application/json").body(json).post(PATH).then().statusCode(401);
    postJson(WebhookProfile.SECRET + "x", json).statusCode(401);
    postJson("", json).statusCode(401);
    postJson(WebhookProfile.SECRET, "{\"update_id\": 5, \"message\": {").statusCode(400);
    postJson(WebhookProfile.SECRET, "[1, 2]").statusCode(400);
    String padded =
        json.substring(0, json.length() - 1) + ",\"pad\":\"" + "x".repeat(1 << 20) + "\"}";
    postJson(WebhookProfile.SECRET, padded).statusCode(413);
    given()
        .header(WebhookResource.SECRET_HEADER, WebhookProfile.SECRET)
        .get(PATH)
        .then()
        .statusCode(405)
        .header("Allow", "POST");
    given()
        .contentType("text/plain")
        .header(WebhookResource.SECRET_HEADER, WebhookProfile.SECRET)
        .body(json)
        .post(PATH)
        .then()
        .statusCode(415);

    assertEquals(unauthorized + 3, webhook.count(WebhookResource.Result.UNAUTHORIZED));
    // A later, valid update of the same chat runs after anything a refused post could have started
    // there: its reply is "1: ..." only if none of them reached the demo bot's counter.
    Update later = Updates.text(chat, chat, "later");
    postJson(WebhookProfile.SECRET, Updates.toJson(later)).statusCode(200);
    await("the later update's reply", () -> !textsOf(chat).isEmpty());
    assertEquals(0, WebhookTestSetup.seen(update.getUpdateId()), "no middleware call");
    assertEquals(List.of("1: later"), textsOf(chat));
  }

  @Test
  void unknownFieldsAndUpdateTypesAreAccepted() throws Exception {
    long chat = 9_150_001;
    Update update = Updates.text(chat, chat, "hi");
    String json = Updates.toJson(update);
    String extended =
        json.substring(0, json.length() - 1) + ",\"some_future_update\":{\"x\":1},\"f\":[1]}";
    given()
        .contentType("application/json; charset=utf-8")
        .header(WebhookResource.SECRET_HEADER, WebhookProfile.SECRET)
        .body(extended)
        .post(PATH)
        .then()
        .statusCode(200);
    assertEquals(List.of("1: hi"), textsOf(chat));
    assertEquals(1, WebhookTestSetup.seen(update.getUpdateId()));
  }

  @Test
  void webhookPostsAreCountedByTheBotNotByQuarkusHttpTimers() throws Exception {
    long chat = 9_160_001;
    Update update = Updates.text(chat, chat, "count me");
    postJson(WebhookProfile.SECRET, Updates.toJson(update)).statusCode(200);
    given().get("/no/such/route").then().statusCode(404);
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertTrue(
        metrics.contains("botrunner_webhook_requests_total{result=\"processed\"}"),
        "the bot's own counter has the post");
    assertTrue(metrics.contains("uri=\"NOT_FOUND\""), "other requests still get Quarkus's timers");
    assertFalse(metrics.contains("uri=\"" + PATH + "\""), "the webhook route has none");
  }
}
