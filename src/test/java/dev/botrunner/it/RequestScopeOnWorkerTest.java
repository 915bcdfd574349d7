package dev.botrunner.it;

import dev.botrunner.testkit.FakeBotApiResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link RequestScopeTest} with {@code BOT_MIDDLEWARE_THREAD=worker}. */
@QuarkusTest
@TestProfile(RequestScopeOnWorkerTest.OnWorker.class)
class RequestScopeOnWorkerTest {

  /** Polling against the fake, middleware on workers. */
  public static class OnWorker extends PollingAgainstFake {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("bot.middleware-thread", "worker");
    }
  }

  @Test
  void everyStepOfAnUpdateSeesItsOwnRequestScopedBean() {
    RequestScopeTest.assertEachUpdateSeesItsOwnBean(FakeBotApiResource.fake());
  }
}
