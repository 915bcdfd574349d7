package example.orders;

import dev.botrunner.testkit.FakeBotApiResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;

/** The forced conflict with {@code BOT_MIDDLEWARE_THREAD=worker}. */
@QuarkusTest
@TestProfile(OrdersBotConflictOnWorkersTest.RetryOnWorkers.class)
@WithTestResource(FakeBotApiResource.class)
@WithTestResource(PostgresResource.class)
class OrdersBotConflictOnWorkersTest extends OrdersBotConflictTest {

  /** Retry on conflict, middleware on workers. */
  public static class RetryOnWorkers implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("bot.session.on-conflict", "retry", "bot.middleware-thread", "worker");
    }
  }

  @Override
  long chat() {
    return 1000;
  }
}
