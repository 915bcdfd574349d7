package dev.botrunner.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.config.BotConfig;
import dev.botrunner.config.InvalidBotConfigException;
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
    List<String> problems =
        BotConfigValidator.problems(config(Map.of("bot.webhook.secret", "s3cret")));
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
  void badOutboxSettingsAreNamed() {
    List<String> problems =
        BotConfigValidator.problems(
            config(
                Map.of(
                    "bot.token", "123456:" + "a".repeat(35),
                    "bot.outbox.lease", "PT0S",
                    "bot.outbox.sweep-every", "often",
                    "bot.webhook.secret", "s3cret")));
    assertEquals(2, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("BOT_OUTBOX_LEASE"), problems.get(0));
    assertTrue(problems.get(1).startsWith("BOT_OUTBOX_SWEEP_EVERY"), problems.get(1));
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
                    "bot.api-url", "ftp://x",
                    "bot.webhook.secret", "s3cret")));
    assertEquals(3, problems.size(), problems.toString());
  }

  private static final String TOKEN = "123456:" + "a".repeat(35);

  @Test
  void anInvalidUrlIsReportedWithoutTheTokenInIt() {
    String secretPart = "a".repeat(35);
    List<String> problems =
        BotConfigValidator.problems(
            config(
                Map.of(
                    "bot.token",
                    TOKEN,
                    "bot.webhook.secret",
                    "s3cret",
                    "bot.api-url",
                    "https://api.example.com/bot" + TOKEN + "/ x",
                    "bot.webhook.url",
                    "https://bot.example.com/hook/" + secretPart + "/ x")));
    assertEquals(2, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("BOT_API_URL is not a valid URL"), problems.get(0));
    assertTrue(problems.get(0).contains("/bot<redacted>/ x"), problems.get(0));
    assertTrue(problems.get(1).startsWith("BOT_WEBHOOK_URL is not a valid URL"), problems.get(1));
    assertTrue(problems.get(1).contains("/hook/<redacted>/ x"), problems.get(1));
    assertFalse(problems.toString().contains(secretPart), problems.toString());
  }

  @Test
  void aNegativeFloodBudgetNamesItsVariable() {
    List<String> problems =
        BotConfigValidator.problems(
            config(
                Map.of(
                    "bot.token", TOKEN,
                    "bot.webhook.secret", "s3cret",
                    "bot.api-flood-budget", "-PT1S")));
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("BOT_API_FLOOD_BUDGET"), problems.get(0));
    assertTrue(
        BotConfigValidator.problems(
                config(
                    Map.of(
                        "bot.token", TOKEN,
                        "bot.webhook.secret", "s",
                        "bot.api-flood-budget", "PT0S")))
            .isEmpty(),
        "0 turns flood retries off");
    assertEquals(
        java.time.Duration.ofMinutes(5),
        config(Map.of("bot.token", TOKEN)).apiFloodBudget(),
        "default five minutes");
  }

  @Test
  void drainAndDedupeSettingsNameTheirVariables() {
    List<String> problems =
        BotConfigValidator.problems(
            config(
                Map.of(
                    "bot.token", TOKEN,
                    "bot.webhook.secret", "s3cret",
                    "bot.shutdown-grace", "-PT1S",
                    "bot.dedupe-retention", "PT0S")));
    assertEquals(2, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("BOT_SHUTDOWN_GRACE"), problems.get(0));
    assertTrue(problems.get(1).startsWith("BOT_DEDUPE_RETENTION"), problems.get(1));
    assertTrue(
        BotConfigValidator.problems(config(Map.of("bot.token", TOKEN, "bot.webhook.secret", "s")))
            .isEmpty(),
        "defaults (25s, 24h) are valid");
  }

  @Test
  void defaultsWithASecretAreValid() {
    Map<String, String> values = Map.of("bot.token", TOKEN, "bot.webhook.secret", "s3cret");
    assertTrue(BotConfigValidator.problems(config(values)).isEmpty());
    BotConfig config = config(values);
    assertEquals(500, config.concurrency());
    assertEquals(30, config.polling().timeout());
    assertEquals(BotConfig.Mode.WEBHOOK, config.mode());
    assertEquals("/telegram/webhook", config.webhook().path());
    assertEquals(1 << 20, config.webhook().maxBody().asLongValue());
    assertEquals(40, config.webhook().maxConnections());
  }

  @Test
  void webhookModeWithoutSecretRefusesToStartUnlessInsecure() {
    List<String> problems = BotConfigValidator.problems(config(Map.of("bot.token", TOKEN)));
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("BOT_WEBHOOK_SECRET"), problems.get(0));
    assertTrue(
        BotConfigValidator.problems(
                config(Map.of("bot.token", TOKEN, "bot.webhook.insecure", "true")))
            .isEmpty());
    assertTrue(
        BotConfigValidator.problems(config(Map.of("bot.token", TOKEN, "bot.mode", "polling")))
            .isEmpty());
  }

  @Test
  void badWebhookSettingsAreReportedWithoutTheSecret() {
    List<String> problems =
        BotConfigValidator.problems(
            config(
                Map.of(
                    "bot.token", TOKEN,
                    "bot.webhook.secret", "has spaces/and-slash",
                    "bot.webhook.timeout", "PT60S",
                    "bot.webhook.max-body", "0",
                    "bot.webhook.url", "http://example.com/hook",
                    "bot.webhook.max-connections", "101",
                    "bot.webhook.path", "telegram")));
    assertEquals(6, problems.size(), problems.toString());
    assertFalse(problems.toString().contains("has spaces"));
  }

  @Test
  void bodySizesAreReadAsQuarkusReadsSizes() {
    Map<String, Long> sizes = Map.of("512", 512L, "2K", 2048L, "3M", 3L << 20, "1g", 1L << 30);
    sizes.forEach(
        (text, bytes) ->
            assertEquals(
                bytes,
                config(Map.of("bot.token", TOKEN, "bot.webhook.max-body", text))
                    .webhook()
                    .maxBody()
                    .asLongValue(),
                text));
    for (String tooLarge : List.of("2G", "9E", "99999999999999999999T")) {
      List<String> problems =
          BotConfigValidator.problems(
              config(
                  Map.of(
                      "bot.token", TOKEN,
                      "bot.webhook.secret", "s",
                      "bot.webhook.max-body", tooLarge)));
      assertEquals(1, problems.size(), tooLarge + ": " + problems);
      assertTrue(problems.get(0).startsWith("BOT_WEBHOOK_MAX_BODY"), problems.get(0));
    }
  }

  /**
   * A value that is not of its setting's type stops the mapping itself, with SmallRye Config's
   * message naming the property (the validator never sees it).
   */
  @Test
  void aValueOfTheWrongTypeFailsNamingTheProperty() {
    Map<String, String> wrong =
        Map.of(
            "bot.webhook.max-body", "1.5M",
            "bot.concurrency", "many",
            "bot.api-timeout", "soon",
            "bot.mode", "push",
            "bot.session.store", "redis");
    wrong.forEach(
        (property, value) -> {
          RuntimeException e =
              org.junit.jupiter.api.Assertions.assertThrows(
                  RuntimeException.class,
                  () -> config(Map.of("bot.token", TOKEN, property, value)),
                  property);
          String message = String.valueOf(e.getMessage()) + " " + e.getCause();
          assertTrue(message.contains(property), message);
          assertFalse(message.contains(TOKEN.substring(7)), "the token stays out: " + message);
        });
  }

  @Test
  void postgresStoreWithoutADatabaseSaysWhatToSet() {
    BotConfig postgres =
        config(
            Map.of(
                "bot.token",
                "123456:" + "a".repeat(35),
                "bot.session.store",
                "postgres",
                "bot.mode",
                "polling"));
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
                    "bot.session.sweep-every", "often",
                    "bot.mode", "polling")),
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
                          every,
                          "bot.mode",
                          "polling")))
              .isEmpty(),
          every);
    }
  }

  @Test
  void middlewareThreadTakesTheDocumentedValues() {
    assertEquals(
        BotConfig.MiddlewareThread.EVENT_LOOP,
        config(Map.of("bot.token", TOKEN)).middlewareThread(),
        "the default");
    assertEquals(
        BotConfig.MiddlewareThread.WORKER,
        config(Map.of("bot.token", TOKEN, "bot.middleware-thread", "worker")).middlewareThread());
    RuntimeException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            RuntimeException.class,
            () -> config(Map.of("bot.token", TOKEN, "bot.middleware-thread", "loop")));
    String message = String.valueOf(e.getMessage()) + " " + e.getCause();
    assertTrue(message.contains("bot.middleware-thread"), message);
    assertTrue(message.contains("worker"), message);
  }

  @Test
  void blockingThreadsTakeTheDocumentedValues() {
    assertEquals(
        BotConfig.BlockingThreads.AUTO,
        config(Map.of("bot.token", TOKEN)).blockingThreads(),
        "the default");
    for (BotConfig.BlockingThreads kind : BotConfig.BlockingThreads.values()) {
      String value = kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
      assertEquals(
          kind,
          config(Map.of("bot.token", TOKEN, "bot.blocking-threads", value)).blockingThreads(),
          value);
    }
  }

  @Test
  void virtualThreadsOnAJdkWithoutThemSayWhatToSet() {
    String problem =
        BotConfigValidator.blockingThreadsProblem(BotConfig.BlockingThreads.VIRTUAL, 17);
    assertTrue(problem.contains("BOT_BLOCKING_THREADS=virtual"), problem);
    assertTrue(problem.contains("JDK 17"), problem);
    assertTrue(problem.contains("BOT_BLOCKING_THREADS=auto or platform"), problem);
    assertEquals(
        null, BotConfigValidator.blockingThreadsProblem(BotConfig.BlockingThreads.VIRTUAL, 21));
    for (BotConfig.BlockingThreads other :
        List.of(
            BotConfig.BlockingThreads.AUTO,
            BotConfig.BlockingThreads.PLATFORM,
            BotConfig.BlockingThreads.WORKER_POOL)) {
      assertEquals(null, BotConfigValidator.blockingThreadsProblem(other, 17), other.name());
    }
  }

  @Test
  void aNegativeDemoDelayNamesItsVariable() {
    List<String> problems =
        BotConfigValidator.problems(
            config(
                Map.of("bot.token", TOKEN, "bot.example.delay", "PT-1S", "bot.mode", "polling")));
    assertTrue(
        problems.stream().anyMatch(p -> p.startsWith("BOT_EXAMPLE_DELAY")), problems.toString());
  }
}
