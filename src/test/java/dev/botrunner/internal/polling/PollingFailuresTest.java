package dev.botrunner.internal.polling;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.internal.logging.LogCapture;
import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.Updates;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The polling loop against a misbehaving Bot API: it survives flood control, server errors, dropped
 * connections and conflicts, stops on a rejected token, and never logs the token.
 */
class PollingFailuresTest {

  /** Longer than any retry the poller would make after an answer it can retry. */
  private static final Duration NO_MORE_CALLS_WITHIN = Duration.ofMillis(500);

  private LogCapture logs;
  private FakeBotApi fake;

  @BeforeEach
  void setUp() {
    logs = new LogCapture();
    fake = FakeBotApi.start();
  }

  @AfterEach
  void tearDown() {
    fake.close();
    logs.close();
    for (String line : logs.lines()) {
      assertFalse(line.contains(FakeBotApi.TOKEN), "token in log line: " + line);
      assertFalse(line.contains(FakeBotApi.TOKEN.substring(10)), "token secret in: " + line);
    }
  }

  private CountDownLatch handleAll(int count, Runnable poll) throws Exception {
    CountDownLatch handled = new CountDownLatch(count);
    try (Pipeline pipeline =
        Pipeline.with(fake).bot(bot -> bot.use(ctx -> handled.countDown())).build()) {
      pipeline.start();
      poll.run();
      assertTrue(handled.await(30, TimeUnit.SECONDS), "updates handled after the failures");
      assertEquals(PollerState.POLLING, pipeline.poller.state());
    }
    return handled;
  }

  @Test
  void survivesFloodControlServerErrorsAndDroppedConnections() throws Exception {
    fake.script("getUpdates")
        .retryAfter(1)
        .serverError()
        .times(2)
        .badGateway()
        .dropConnection()
        .times(2);
    fake.enqueue(Updates.text(1, 1, "a"), Updates.text(2, 2, "b"));
    handleAll(2, () -> {});
    assertTrue(logs.contains("flood control on getUpdates"), "429 logged");
    assertTrue(logs.contains("retrying in"), "retries logged");
    assertTrue(fake.calls("getUpdates").size() >= 7, "it retried every failure");
  }

  @Test
  void conflictIsExplainedAndRetried() throws Exception {
    fake.script("getUpdates")
        .error(409, "Conflict: terminated by other getUpdates request")
        .times(2);
    fake.enqueue(Updates.text(1, 1, "a"));
    handleAll(1, () -> {});
    assertTrue(logs.contains("409 Conflict"), "409 logged");
    assertTrue(logs.contains("BOT_POLLING_DELETE_WEBHOOK=true"), "the fix is named");
  }

  @Test
  void deletesTheWebhookWhenAsked() throws Exception {
    fake.setWebhookUrl("https://example.invalid/hook");
    fake.enqueue(Updates.text(1, 1, "a"));
    CountDownLatch handled = new CountDownLatch(1);
    try (Pipeline pipeline =
        Pipeline.with(fake)
            .deleteWebhook(true)
            .bot(bot -> bot.use(ctx -> handled.countDown()))
            .build()) {
      pipeline.start();
      assertTrue(handled.await(30, TimeUnit.SECONDS));
    }
    assertEquals(1, fake.calls("deleteWebhook").size());
  }

  @Test
  void rejectedTokenStopsPolling() throws Exception {
    fake.revokeToken();
    try (Pipeline pipeline = Pipeline.with(fake).build()) {
      pipeline.start();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> pipeline.poller.state() == PollerState.UNAUTHORIZED);
      int calls = fake.calls().size();
      // No event marks "the poller would have polled again": the time itself is the subject.
      Thread.sleep(NO_MORE_CALLS_WITHIN.toMillis());
      assertEquals(calls, fake.calls().size(), "no call after the 401");
    }
    assertTrue(logs.contains("Telegram rejected the bot token"), "the stop is explained");
  }

  @Test
  void transportFailuresNeverCarryTheToken() throws Exception {
    // A closed port: the HTTP client's own error text is what reaches the log.
    fake.close();
    try (Pipeline pipeline = Pipeline.with(fake).build()) {
      pipeline.start();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> logs.contains("got no answer from the Bot API"));
    }
  }
}
