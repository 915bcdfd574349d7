package dev.botrunner.it;

import dev.botrunner.testkit.FakeBotApiResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link RequestScopeTest} with {@code BOT_BLOCKING_THREADS=worker-pool}: blocking handlers on
 * Quarkus's worker pool, the executor chosen before there was a setting.
 */
@QuarkusTest
@TestProfile(RequestScopeOnWorkerPoolTest.OnWorkerPool.class)
class RequestScopeOnWorkerPoolTest {

  /** Polling against the fake, blocking handlers on Quarkus's worker pool. */
  public static class OnWorkerPool extends PollingAgainstFake {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("bot.blocking-threads", "worker-pool");
    }
  }

  @Test
  void everyStepOfAnUpdateSeesItsOwnRequestScopedBean() {
    RequestScopeTest.assertEachUpdateSeesItsOwnBean(FakeBotApiResource.fake());
  }
}
