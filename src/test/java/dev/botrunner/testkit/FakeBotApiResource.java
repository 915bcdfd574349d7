package dev.botrunner.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * A fake Bot API for {@code @QuarkusTest}s of a whole bot application: starts a {@link FakeBotApi}
 * and points botrunner at it in polling mode (token, API URL, a one-second long poll).
 *
 * <pre>{@code
 * @QuarkusTest
 * @WithTestResource(FakeBotApiResource.class)
 * class MyBotTest {
 *   @Test
 *   void greets() throws Exception {
 *     FakeBotApi telegram = FakeBotApiResource.fake();
 *     telegram.enqueue(Updates.command(42, 42, "start", null));
 *     assertTrue(telegram.awaitSentMessages(1, Duration.ofSeconds(30)));
 *   }
 * }
 * }</pre>
 *
 * <p>Init args override the settings it returns (e.g. {@code bot.mode=webhook}), so a setting is
 * not set by two config sources. Test classes with the same resource and no profile share one
 * Quarkus start.
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
