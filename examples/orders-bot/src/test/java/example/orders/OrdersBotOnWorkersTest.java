package example.orders;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import dev.botrunner.testkit.FakeBotApiResource;
import java.util.Map;

/** The same bot and checks with {@code BOT_MIDDLEWARE_THREAD=worker} (the default is event-loop). */
@QuarkusTest
@TestProfile(OrdersBotOnWorkersTest.Workers.class)
@WithTestResource(FakeBotApiResource.class)
@WithTestResource(PostgresResource.class)
class OrdersBotOnWorkersTest extends OrdersBotTest {

  /** Middleware starts on workers. */
  public static class Workers implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("bot.middleware-thread", "worker");
    }
  }

  @Override
  long chat() {
    return 800;
  }
}
