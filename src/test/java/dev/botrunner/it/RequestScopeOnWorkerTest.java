package dev.botrunner.it;

import dev.botrunner.testkit.FakeBotApiResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link RequestScopeTest} with {@code BOT_MIDDLEWARE_THREAD=worker}. */
@QuarkusTest
@TestProfile(RequestScopeOnWorkerTest.OnWorker.class)
class RequestScopeOnWorkerTest {

  /** Polling against the fake, middleware on workers. */
  public static class OnWorker implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("bot.middleware-thread", "worker");
    }

    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(FakeBotApiResource.class));
    }
  }

  @Test
  void everyStepOfAnUpdateSeesItsOwnRequestScopedBean() {
    RequestScopeTest.assertEachUpdateSeesItsOwnBean(FakeBotApiResource.fake());
  }
}
