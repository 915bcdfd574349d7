package dev.botrunner.internal.polling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.config.BotConfig;
import dev.botrunner.internal.client.RetryPolicy;
import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.SentMessage;
import dev.botrunner.testkit.Updates;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fake Bot API sample of README's "Testing your bot", run: the lines README shows are these
 * ({@code ReadmeSamplesTest} checks that they stay alike), the bot between them an echo bot through
 * the real poller, dispatcher and client with the runtime's retry policy.
 */
class ReadmeTestingSampleTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void theFakeBotApiSampleRuns() throws Exception {
    try (FakeBotApi telegram = FakeBotApi.start()) { // a Bot API on 127.0.0.1
      // point the service at it: BOT_API_URL=telegram.baseUrl(), BOT_TOKEN=FakeBotApi.TOKEN
      telegram.enqueue(Updates.text(42, 42, "hello")); // served by getUpdates
      telegram.script("sendMessage").retryAfter(1).times(2); // flood control, twice
      telegram.latency("sendMessage", Duration.ofMillis(5));
      try (Pipeline echo = echoBot(telegram)) {
        echo.start();
        assertTrue(telegram.awaitSentMessages(1, WAIT), "the reply went out");
      }
      List<SentMessage> sent = telegram.sentMessages(42); // what the bot sent to chat 42
      assertEquals("hello", sent.get(0).text());
    }
  }

  private static Pipeline echoBot(FakeBotApi telegram) {
    return Pipeline.with(telegram)
        .concurrency(500)
        .maxWaiting(5000)
        .bot(bot -> bot.on("message:text", ctx -> ctx.reply(ctx.text())))
        .thread(BotConfig.MiddlewareThread.EVENT_LOOP)
        .retries(new RetryPolicy(3, Duration.ofSeconds(60), RetryPolicy.DEFAULT_FLOOD_BUDGET))
        .build();
  }
}
