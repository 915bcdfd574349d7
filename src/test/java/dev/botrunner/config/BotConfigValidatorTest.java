package dev.botrunner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad settings stop startup with a message naming what to set, and never echo the token. */
class BotConfigValidatorTest {

  private static BotConfig config(Map<String, String> values) {
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withMapping(BotConfig.class)
            .withSources(new MapBackedConfigSource("test", values) {})
            .build();
    return config.getConfigMapping(BotConfig.class);
  }

  @Test
  void missingTokenNamesTheVariable() {
    List<String> problems = BotConfigValidator.problems(config(Map.of()));
    assertEquals(1, problems.size());
    assertTrue(problems.get(0).startsWith("BOT_TOKEN is not set"), problems.get(0));
  }

  @Test
  void malformedTokenIsRejectedWithoutPrintingIt() {
    String secret = "12345:short-secret-value";
    InvalidBotConfigException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            InvalidBotConfigException.class,
            () -> BotConfigValidator.requireValid(config(Map.of("bot.token", secret))));
    assertTrue(e.getMessage().contains("BOT_TOKEN is malformed"), e.getMessage());
    assertFalse(e.getMessage().contains("short-secret-value"));
  }

  @Test
  void everyBadNumberIsReported() {
    List<String> problems =
        BotConfigValidator.problems(
            config(
                Map.of(
                    "bot.token", "123456:" + "a".repeat(35),
                    "bot.concurrency", "0",
                    "bot.polling.timeout", "90",
                    "bot.api-url", "ftp://x")));
    assertEquals(3, problems.size(), problems.toString());
  }

  @Test
  void defaultsAreValid() {
    assertTrue(
        BotConfigValidator.problems(config(Map.of("bot.token", "123456:" + "a".repeat(35))))
            .isEmpty());
    BotConfig config = config(Map.of("bot.token", "123456:" + "a".repeat(35)));
    assertEquals(500, config.concurrency());
    assertEquals(30, config.polling().timeout());
    assertEquals(BotConfig.Mode.WEBHOOK, config.mode());
  }

  @Test
  void postgresStoreWithoutADatabaseSaysWhatToSet() {
    BotConfig postgres =
        config(Map.of("bot.token", "123456:" + "a".repeat(35), "bot.session.store", "postgres"));
    List<String> problems = BotConfigValidator.problems(postgres, false);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("set QUARKUS_DATASOURCE_REACTIVE_URL"), problems.get(0));
    assertTrue(BotConfigValidator.problems(postgres, true).isEmpty());
  }

  @Test
  void badSessionSettingsAreReported() {
    List<String> problems =
        BotConfigValidator.problems(
            config(
                Map.of(
                    "bot.token", "123456:" + "a".repeat(35),
                    "bot.session.max-retries", "-1",
                    "bot.session.ttl", "PT0S",
                    "bot.session.sweep-every", "often")),
            false);
    assertEquals(3, problems.size(), problems.toString());
    for (String every : List.of("10m", "1h", "2d", "PT30S", "off")) {
      assertTrue(
          BotConfigValidator.problems(
                  config(
                      Map.of(
                          "bot.token",
                          "123456:" + "a".repeat(35),
                          "bot.session.sweep-every",
                          every)))
              .isEmpty(),
          every);
    }
  }
}
