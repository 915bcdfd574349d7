package example.orders;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import dev.botrunner.testkit.FakeBotApiResource;
import java.util.Map;

/** The same bot and checks with {@code BOT_MIDDLEWARE_THREAD=event-loop}. */
@QuarkusTest
@TestProfile(OrdersBotOnEventLoopTest.EventLoop.class)
@WithTestResource(FakeBotApiResource.class)
@WithTestResource(PostgresResource.class)
class OrdersBotOnEventLoopTest extends OrdersBotTest {

  /** Middleware starts on event loops. */
  public static class EventLoop implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("bot.middleware-thread", "event-loop");
    }
  }

  @Override
  long chat() {
    return 800;
  }
}
