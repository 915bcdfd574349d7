package dev.botrunner.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.FakeBotApiResource;
import dev.botrunner.testkit.Updates;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * {@code /q/metrics} after a small load through the fake Bot API: the update counters move by
 * exactly what was sent, per type; timers, gauges, session and Bot API counters are there with
 * plausible values; the token is nowhere. Other tests share this boot, so only deltas count.
 */
@QuarkusTest
@WithTestResource(FakeBotApiResource.class)
class MetricsTest {

  private static final String POLLING = "source=\"polling\"";

  /** The load: texts over a few chats, edits and callback queries. */
  private static final int TEXTS = 20;

  private static final int CHATS = 4;
  private static final int EDITS = 5;
  private static final int CALLBACKS = 3;

  /** The text of each chat's last update. */
  private static final String MARKER = "marker";

  /** How long the load may take on a shared machine (one reply waits 1 s for flood control). */
  private static final Duration WITHIN = Duration.ofSeconds(60);

  static String scrape() {
    return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
  }

  /** The value of the first sample named {@code name} whose labels contain every fragment. */
  static double value(String metrics, String name, String... labels) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
        continue;
      }
      boolean all = true;
      for (String label : labels) {
        all &= line.contains(label);
      }
      if (all) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }

  private static double processed(String metrics, String type) {
    return value(metrics, "botrunner_updates_processed_total", POLLING, "type=\"" + type + "\"");
  }

  @Test
  void countersMatchTheLoad() throws Exception {
    FakeBotApi fake = FakeBotApiResource.fake();
    String before = scrape();
    long firstChat = 9_100_000;
    List<Update> load = new ArrayList<>();
    for (int i = 0; i < TEXTS; i++) {
      long chat = firstChat + i % CHATS;
      load.add(Updates.text(chat, chat, "load " + i));
    }
    for (int i = 0; i < EDITS; i++) {
      load.add(Updates.editedText(firstChat, firstChat, 1, "edit " + i));
    }
    for (int i = 0; i < CALLBACKS; i++) {
      load.add(Updates.callbackQuery(firstChat + 1, firstChat + 1, "cb" + i));
    }
    // Last in every chat: once a marker has replied, its chat's load has run (one at a time per
    // chat), so counters that moved by more than was sent would already show it.
    for (int c = 0; c < CHATS; c++) {
      load.add(Updates.text(firstChat + c, firstChat + c, MARKER));
    }
    int messages = TEXTS + CHATS;
    // One reply meets flood control once: one retry, one 429.
    fake.script("sendMessage").retryAfter(1);
    fake.enqueue(load);

    for (int c = 0; c < CHATS; c++) {
      long chat = firstChat + c;
      await("the marker's reply in chat " + chat)
          .atMost(WITHIN)
          .until(
              () ->
                  fake.sentMessages(chat).stream()
                      .anyMatch(sent -> sent.text().endsWith(": " + MARKER)));
    }
    // The markers' own counts and the gauges settle just after their replies went out.
    String after =
        await("every update counted and the scheduler idle")
            .atMost(WITHIN)
            .until(
                MetricsTest::scrape,
                m ->
                    processed(m, "message") - processed(before, "message") >= messages
                        && processed(m, "edited_message") - processed(before, "edited_message")
                            >= EDITS
                        && processed(m, "callback_query") - processed(before, "callback_query")
                            >= CALLBACKS
                        && value(m, "botrunner_scheduler_running") == 0
                        && value(m, "botrunner_scheduler_waiting") == 0);

    assertEquals(messages, processed(after, "message") - processed(before, "message"), after);
    assertEquals(EDITS, processed(after, "edited_message") - processed(before, "edited_message"));
    assertEquals(
        CALLBACKS, processed(after, "callback_query") - processed(before, "callback_query"));
    for (String type : List.of("message", "edited_message", "callback_query")) {
      String tag = "type=\"" + type + "\"";
      assertEquals(
          processed(after, type) - processed(before, type),
          value(after, "botrunner_updates_received_total", POLLING, tag)
              - value(before, "botrunner_updates_received_total", POLLING, tag),
          "received = processed for " + type);
      assertEquals(
          0,
          value(after, "botrunner_updates_failed_total", POLLING, tag)
              - value(before, "botrunner_updates_failed_total", POLLING, tag));
    }
    // Timers: one sample per update; the key-wait histogram has its buckets.
    assertEquals(
        messages,
        value(after, "botrunner_update_processing_seconds_count", POLLING, "type=\"message\"")
            - value(
                before, "botrunner_update_processing_seconds_count", POLLING, "type=\"message\""));
    assertTrue(
        value(after, "botrunner_update_key_wait_seconds_count", POLLING)
                - value(before, "botrunner_update_key_wait_seconds_count", POLLING)
            >= messages + EDITS + CALLBACKS);
    assertTrue(
        after.contains("botrunner_update_key_wait_seconds_bucket{source=\"polling\",le=\"0.005\"}"),
        after);
    assertTrue(
        value(after, "botrunner_update_processing_seconds_sum", POLLING, "type=\"message\"") > 0);
    // Gauges: idle again.
    assertEquals(0, value(after, "botrunner_scheduler_running"));
    assertEquals(0, value(after, "botrunner_scheduler_waiting"));
    assertEquals(500, value(after, "botrunner_scheduler_concurrency"));
    assertTrue(after.contains("botrunner_scheduler_active_keys "), after);
    assertTrue(after.contains("botrunner_polling_lag "), after);
    assertEquals(0, value(after, "botrunner_polling_lag"));
    // The demo bot reads its counter on every text and writes it back changed.
    assertTrue(
        value(after, "botrunner_session_reads_total")
                - value(before, "botrunner_session_reads_total")
            >= TEXTS);
    assertTrue(
        value(after, "botrunner_session_writes_total")
                - value(before, "botrunner_session_writes_total")
            >= TEXTS);
    assertTrue(after.contains("botrunner_session_skipped_writes_total "), after);
    assertTrue(after.contains("botrunner_session_conflicts_total "), after);
    assertEquals(
        1,
        value(after, "botrunner_api_flood_waits_total")
            - value(before, "botrunner_api_flood_waits_total"));
    assertEquals(
        1,
        value(after, "botrunner_api_retries_total") - value(before, "botrunner_api_retries_total"));

    assertEquals(
        1,
        value(
                after,
                "botrunner_api_calls_seconds_count",
                "method=\"sendMessage\"",
                "outcome=\"429\"")
            - value(
                before,
                "botrunner_api_calls_seconds_count",
                "method=\"sendMessage\"",
                "outcome=\"429\""));
    assertTrue(
        value(
                    after,
                    "botrunner_api_calls_seconds_count",
                    "method=\"sendMessage\"",
                    "outcome=\"ok\"")
                - value(
                    before,
                    "botrunner_api_calls_seconds_count",
                    "method=\"sendMessage\"",
                    "outcome=\"ok\"")
            >= TEXTS,
        "one successful sendMessage per text message");
    assertFalse(after.contains(FakeBotApi.TOKEN), "the token is not in /q/metrics");
    assertFalse(after.contains(FakeBotApi.TOKEN.substring(FakeBotApi.TOKEN.indexOf(':') + 1)));
  }
}
