package dev.botrunner.it;

import static dev.botrunner.it.WebhookClient.postUntilAccepted;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.botrunner.testkit.FakeBotApiResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Units of work in the booted service in webhook mode, with PostgreSQL and {@code
 * BOT_SESSION_ON_CONFLICT=retry}: {@link UnitOfWorkScenario}. Chats 6,600,010 to 6,600,014.
 */
@QuarkusTest
@TestProfile(UnitOfWorkWebhookTest.Profile.class)
class UnitOfWorkWebhookTest {

  /** {@link WebhookProfile} with PostgreSQL and retry on conflict. */
  public static class Profile extends WebhookProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
      overrides.put("bot.session.on-conflict", "retry");
      return overrides;
    }

    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(
          new TestResourceEntry(FakeBotApiResource.class, Map.of("bot.mode", "webhook")),
          new TestResourceEntry(PostgresWiringTest.PostgresResource.class));
    }
  }

  @Inject Pool pool;

  @Test
  void rowsSessionsAndRepliesOnceEachAndAConflictRetriedWithoutItsRow() {
    UnitOfWorkScenario.run(
        pool,
        FakeBotApiResource.fake(),
        UnitOfWorkSetup.FIRST_CHAT + 10,
        update -> {
          try {
            assertEquals(200, postUntilAccepted(update));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }
}
