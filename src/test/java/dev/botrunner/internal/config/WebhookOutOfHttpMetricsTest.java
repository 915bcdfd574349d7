package dev.botrunner.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The webhook route is left out of Quarkus's per-request HTTP metrics, whatever its path. */
class WebhookOutOfHttpMetricsTest {

  private static List<String> patterns(Map<String, String> properties) {
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withSources(new PropertiesConfigSource(properties, "test", 100))
            .withInterceptors(new WebhookOutOfHttpMetrics())
            .build();
    return config.getValues(WebhookOutOfHttpMetrics.IGNORE_PATTERNS, String.class);
  }

  private static boolean ignored(List<String> patterns, String uri) {
    return patterns.stream().anyMatch(p -> Pattern.compile(p).matcher(uri).matches());
  }

  @Test
  void theDefaultPathIsIgnoredAndNothingElse() {
    List<String> patterns = patterns(Map.of());
    assertEquals(1, patterns.size());
    assertTrue(ignored(patterns, "/telegram/webhook"));
    assertFalse(ignored(patterns, "/q/health/ready"));
    assertFalse(ignored(patterns, "/telegram/webhookX"));
  }

  @Test
  void aConfiguredPathIsTakenLiterallyEvenWithRegexCharactersAndCommas() {
    List<String> patterns = patterns(Map.of("bot.webhook.path", "/hook(1)+a,b.c"));
    assertEquals(1, patterns.size(), "the comma did not split the pattern");
    assertTrue(ignored(patterns, "/hook(1)+a,b.c"));
    assertFalse(ignored(patterns, "/hook(1)+a,bXc"), "'.' is not a wildcard");
  }

  @Test
  void patternsTheUserSetAreKept() {
    List<String> patterns =
        patterns(
            Map.of(
                WebhookOutOfHttpMetrics.IGNORE_PATTERNS, "/private/.*", "bot.webhook.path", "/in"));
    assertEquals(2, patterns.size());
    assertTrue(ignored(patterns, "/private/x"));
    assertTrue(ignored(patterns, "/in"));
  }
}
