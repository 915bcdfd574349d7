package dev.botrunner.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.SentMessage;
import dev.botrunner.testkit.Updates;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.awaitility.core.ConditionTimeoutException;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * The scenario of {@link UnitOfWorkSetup} for a booted service, whatever brings it updates (polling
 * or webhook): reactive and blocking units over four chats, and a forced conflict retried in a
 * fifth. Every row, session count and reply must come out exactly once.
 */
final class UnitOfWorkScenario {

  private static final Duration WITHIN = Duration.ofSeconds(60);
  private static final Duration QUERY = Duration.ofSeconds(10);

  private UnitOfWorkScenario() {}

  /**
   * @param pool the application's pool
   * @param fake the fake Bot API the service sends to
   * @param firstChat the first of five chats of {@link UnitOfWorkSetup}'s range
   * @param send hands one update to the service
   */
  static void run(Pool pool, FakeBotApi fake, long firstChat, Consumer<Update> send) {
    pool.query(UnitOfWorkSetup.TABLE).execute().await().atMost(QUERY);
    List<Update> batch = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      long chat = firstChat + i % 4;
      batch.add(Updates.command(chat, chat, i % 2 == 0 ? "order" : "border", "tea" + i));
    }
    long clashChat = firstChat + 4;
    Update first = Updates.command(clashChat, clashChat, "order", "first");
    Update clash = Updates.command(clashChat, clashChat, "clash", "second");
    batch.forEach(send);
    send.accept(first);
    await("the first order of the clash chat")
        .atMost(WITHIN)
        .until(() -> fake.sentMessages(clashChat).size() >= 1);
    send.accept(clash);
    try {
      await("22 replies")
          .atMost(WITHIN)
          .until(
              () -> {
                int n = 0;
                for (int c = 0; c < 5; c++) {
                  n += fake.sentMessages(firstChat + c).size();
                }
                return n >= 22;
              });
    } catch (ConditionTimeoutException e) {
      StringBuilder seen = new StringBuilder();
      for (int c = 0; c < 5; c++) {
        seen.append(' ').append(firstChat + c).append('=').append(texts(fake, firstChat + c));
      }
      throw new AssertionError("replies:" + seen, e);
    }
    for (int c = 0; c < 4; c++) {
      long chat = firstChat + c;
      assertEquals(5, rows(pool, chat), "rows of chat " + chat);
      assertEquals(5, count(pool, chat), "session of chat " + chat);
      List<String> expected = new ArrayList<>();
      for (int n = 1; n <= 5; n++) {
        int i = c + 4 * (n - 1);
        expected.add("Ordered tea" + i + " #" + n);
      }
      assertEquals(expected, texts(fake, chat), "replies of chat " + chat);
    }
    assertEquals(2, UnitOfWorkSetup.runs(clash.getUpdateId()), "the conflict and its retry");
    assertEquals(2, rows(pool, clashChat), "the conflicting run's row rolled back");
    assertEquals(2, count(pool, clashChat));
    assertEquals(List.of("Ordered first #1", "Ordered second #2"), texts(fake, clashChat));
  }

  private static List<String> texts(FakeBotApi fake, long chat) {
    return fake.sentMessages(chat).stream().map(SentMessage::text).toList();
  }

  private static long rows(Pool pool, long chat) {
    return pool.preparedQuery("SELECT count(*) AS n FROM unit_it_order WHERE chat = $1")
        .execute(Tuple.of(chat))
        .await()
        .atMost(QUERY)
        .iterator()
        .next()
        .getLong("n");
  }

  private static int count(Pool pool, long chat) {
    var rows =
        pool.preparedQuery(
                "SELECT (data->>'count')::int AS count FROM bot_session"
                    + " WHERE bot_id = $1 AND key = $2")
            .execute(Tuple.of(FakeBotApi.BOT_ID, Long.toString(chat)))
            .await()
            .atMost(QUERY)
            .iterator();
    if (!rows.hasNext()) {
      return 0;
    }
    Row row = rows.next();
    return row.getInteger("count");
  }
}
