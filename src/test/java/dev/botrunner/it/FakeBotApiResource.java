package dev.botrunner.it;

import dev.botrunner.testkit.FakeBotApi;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts one fake Bot API for the Quarkus tests and points the service at it in polling mode. All
 * Quarkus tests use this same resource and configuration, so Quarkus boots once.
 */
public class FakeBotApiResource implements QuarkusTestResourceLifecycleManager {

  private static volatile FakeBotApi fake;

  /**
   * @return the running fake Bot API
   */
  public static FakeBotApi fake() {
    return fake;
  }

  @Override
  public Map<String, String> start() {
    fake = FakeBotApi.start();
    return Map.of(
        "bot.token",
        FakeBotApi.TOKEN,
        "bot.api-url",
        fake.baseUrl(),
        "bot.mode",
        "polling",
        "bot.polling.timeout",
        "1");
  }

  @Override
  public void stop() {
    if (fake != null) {
      fake.close();
    }
  }
}
