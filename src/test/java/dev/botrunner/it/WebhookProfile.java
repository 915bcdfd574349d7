package dev.botrunner.it;

import dev.botrunner.testkit.FakeBotApiResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * Webhook mode against the fake Bot API: a secret, a 1 s answer deadline, a registration URL, and
 * small limits (8 running, 64 waiting) so saturation is reachable in a test.
 */
public class WebhookProfile implements QuarkusTestProfile {

  /** The secret token the tests send. */
  public static final String SECRET = "test-secret_0123456789";

  /** The URL registered with the fake. */
  public static final String URL = "https://bot.example.test/telegram/webhook";

  /** Updates running at once. */
  public static final int CONCURRENCY = 8;

  /** Waiting updates at which the endpoint answers 503. */
  public static final int MAX_WAITING = 64;

  /** max_connections registered. */
  public static final int MAX_CONNECTIONS = 77;

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "bot.webhook.secret",
        SECRET,
        "bot.webhook.timeout",
        "1s",
        "bot.webhook.url",
        URL,
        "bot.webhook.max-connections",
        Integer.toString(MAX_CONNECTIONS),
        "bot.webhook.max-waiting",
        Integer.toString(MAX_WAITING),
        "bot.concurrency",
        Integer.toString(CONCURRENCY));
  }

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(new TestResourceEntry(FakeBotApiResource.class, Map.of("bot.mode", "webhook")));
  }
}
