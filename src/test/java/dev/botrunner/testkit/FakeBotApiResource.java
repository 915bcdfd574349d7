package dev.botrunner.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts one fake Bot API for the Quarkus tests and points the service at it in polling mode. All
 * Quarkus tests use this same resource; tests without a profile share its configuration, so Quarkus
 * boots once for them. Init args override the settings it returns (the webhook profile passes
 * {@code bot.mode=webhook} this way, so the mode is not set by two config sources).
 */
public class FakeBotApiResource implements QuarkusTestResourceLifecycleManager {

  private static volatile FakeBotApi fake;

  private Map<String, String> overrides = Map.of();

  /**
   * @return the running fake Bot API
   */
  public static FakeBotApi fake() {
    return fake;
  }

  @Override
  public void init(Map<String, String> initArgs) {
    overrides = Map.copyOf(initArgs);
  }

  @Override
  public Map<String, String> start() {
    fake = FakeBotApi.start();
    Map<String, String> config = new HashMap<>();
    config.put("bot.token", FakeBotApi.TOKEN);
    config.put("bot.api-url", fake.baseUrl());
    config.put("bot.mode", "polling");
    config.put("bot.polling.timeout", "1");
    config.putAll(overrides);
    return config;
  }

  @Override
  public void stop() {
    if (fake != null) {
      fake.close();
    }
  }
}
