package dev.botrunner.it;

import dev.botrunner.testkit.FakeBotApiResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * {@link RequestScopeTest} and {@link BlockingConcurrencyTest} with {@code
 * BOT_BLOCKING_THREADS=virtual} named, and every update's middleware on a virtual thread ({@code
 * BOT_MIDDLEWARE_THREAD=worker}): each update still sees its own request-scoped bean and MDC, with
 * the limit's worth of blocking handlers at once. JDK 21+ only (CI runs it on JDK 25); on JDK 17
 * the setting stops the service at startup, which {@code BotConfigValidatorTest} shows.
 */
@QuarkusTest
@TestProfile(RequestScopeOnVirtualThreadsTest.OnVirtualThreads.class)
@EnabledForJreRange(min = JRE.JAVA_21)
class RequestScopeOnVirtualThreadsTest {

  /** Polling against the fake, all middleware on virtual threads, a limit of 300. */
  public static class OnVirtualThreads extends PollingAgainstFake {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "bot.blocking-threads",
          "virtual",
          "bot.middleware-thread",
          "worker",
          "bot.concurrency",
          Integer.toString(BlockingConcurrencyTest.LIMIT));
    }
  }

  @Test
  void everyStepOfAnUpdateSeesItsOwnRequestScopedBean() {
    RequestScopeTest.assertEachUpdateSeesItsOwnBean(FakeBotApiResource.fake());
  }

  @Test
  void asManyBlockingHandlersRunAtOnceAsTheLimitAllows() {
    BlockingConcurrencyTest.assertAllBlockAtOnce(
        FakeBotApiResource.fake(), BlockingConcurrencyTest.LIMIT, true);
  }
}
