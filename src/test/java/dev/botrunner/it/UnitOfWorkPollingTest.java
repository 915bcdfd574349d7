package dev.botrunner.it;

import dev.botrunner.testkit.FakeBotApiResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Units of work in the booted service, polling the fake Bot API, with PostgreSQL and {@code
 * BOT_SESSION_ON_CONFLICT=retry}: {@link UnitOfWorkScenario}. Chats 6,600,000 to 6,600,004.
 */
@QuarkusTest
@TestProfile(UnitOfWorkPollingTest.Profile.class)
class UnitOfWorkPollingTest {

  /** Polling, PostgreSQL, retry on conflict. */
  public static class Profile extends PollingAgainstFake {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("bot.session.on-conflict", "retry");
    }

    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(
          new TestResourceEntry(FakeBotApiResource.class),
          new TestResourceEntry(PostgresWiringTest.PostgresResource.class));
    }
  }

  @Inject Pool pool;

  @Test
  void rowsSessionsAndRepliesOnceEachAndAConflictRetriedWithoutItsRow() {
    UnitOfWorkScenario.run(
        pool,
        FakeBotApiResource.fake(),
        UnitOfWorkSetup.FIRST_CHAT,
        update -> FakeBotApiResource.fake().enqueue(update));
  }
}
