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
import io.quarkus.vertx.VertxContextSupport;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The orders bot against real PostgreSQL: orders land in their table through Panache, and the
 * chat's versioned session counts them, with middleware on worker threads (botrunner's default).
 */
@QuarkusTest
@WithTestResource(FakeBotApiResource.class)
@WithTestResource(PostgresResource.class)
class OrdersBotTest {


  /** The chat this class uses; each test class has its own, as they share one database. */
  long chat() {
    return 700;
  }

  @Test
  void ordersGoToTheirTableAndTheSessionCountsThem() throws Throwable {
    FakeBotApi telegram = FakeBotApiResource.fake();
    long chat = chat();
    telegram.enqueue(
        Updates.command(chat, chat, "orders", null),
        Updates.command(chat, chat, "order", "pizza"),
        Updates.command(chat, chat, "order", "tea"),
        Updates.command(chat, chat, "order", null),
        Updates.command(chat, chat, "orders", null));

    assertTrue(telegram.awaitSentMessages(5, Duration.ofSeconds(30)), "five replies");
    assertEquals(
        List.of(
            "No orders yet.",
            "Ordered pizza (order 1 in this chat)",
            "Ordered tea (order 2 in this chat)",
            "Usage: /order <item>",
            "pizza, tea"),
        telegram.sentMessages(chat).stream().map(SentMessage::text).toList());
    assertEquals(
        2L,
        VertxContextSupport.subscribeAndAwait(
            () -> Panache.withSession(() -> ShopOrder.count("chatId", chat))));
    String session = StoredSessions.json(chat);
    assertTrue(session.replace(" ", "").contains("\"placed\":2"), session);
  }
}
