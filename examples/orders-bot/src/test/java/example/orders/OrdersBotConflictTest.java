package example.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.FakeBotApiResource;
import dev.botrunner.testkit.SentMessage;
import dev.botrunner.testkit.StoredSessions;
import dev.botrunner.testkit.Updates;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * A forced session conflict ({@link ForcedConflict}) with {@code BOT_SESSION_ON_CONFLICT=retry}:
 * the first run's order, counter and reply roll back, the rerun places the order exactly once and
 * announces it once.
 */
@QuarkusTest
@TestProfile(OrdersBotConflictTest.Retry.class)
@WithTestResource(FakeBotApiResource.class)
@WithTestResource(PostgresResource.class)
class OrdersBotConflictTest {

  /** Retry on conflict. */
  public static class Retry implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("bot.session.on-conflict", "retry");
    }
  }

  /** The chat this class uses. */
  long chat() {
    return 900;
  }

  @Test
  void aConflictRollsTheOrderBackAndTheRetryPlacesItOnce() throws Throwable {
    FakeBotApi telegram = FakeBotApiResource.fake();
    long chat = chat();
    telegram.enqueue(Updates.command(chat, chat, "order", "first"));
    assertTrue(telegram.awaitSentMessages(1, Duration.ofSeconds(30)), "the first order's reply");
    Update clash = Updates.command(chat, chat, "order", ForcedConflict.ITEM);
    telegram.enqueue(clash);
    assertTrue(telegram.awaitSentMessages(2, Duration.ofSeconds(30)), "the clash's reply");
    assertEquals(2, ForcedConflict.runs(clash.getUpdateId()), "the conflicting run and the rerun");
    assertEquals(
        List.of("Ordered first (order 1 in this chat)", "Ordered clash (order 2 in this chat)"),
        telegram.sentMessages(chat).stream().map(SentMessage::text).toList());
    assertEquals(
        2L,
        VertxContextSupport.subscribeAndAwait(
            () -> Panache.withSession(() -> ShopOrder.count("chatId", chat))));
    String session = StoredSessions.json(chat);
    assertTrue(session.replace(" ", "").contains("\"placed\":2"), session);
  }
}
