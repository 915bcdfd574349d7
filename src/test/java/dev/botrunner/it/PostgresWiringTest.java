package dev.botrunner.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.botrunner.example.DemoBot;
import dev.botrunner.internal.store.PostgresSessionStore;
import dev.botrunner.internal.store.SessionStore;
import dev.botrunner.pg.TestPostgres;
import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.FakeBotApiResource;
import dev.botrunner.testkit.SentMessage;
import dev.botrunner.testkit.Updates;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The one Quarkus boot with a database: {@code BOT_SESSION_STORE=auto} picks PostgreSQL because a
 * reactive datasource URL is set, the schema is migrated at startup, and the demo bot's per-chat
 * counter lives in {@code bot_session}, under the bot id of the token.
 */
@QuarkusTest
@WithTestResource(FakeBotApiResource.class)
@TestProfile(PostgresWiringTest.WithPostgres.class)
class PostgresWiringTest {

  /** Adds a PostgreSQL datasource to the usual test configuration. */
  public static class WithPostgres implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(PostgresResource.class));
    }
  }

  /** Points Quarkus's reactive datasource at the test PostgreSQL. */
  public static class PostgresResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
      PgConnectOptions options = TestPostgres.options();
      return Map.of(
          "quarkus.datasource.reactive.url",
          "postgresql://"
              + options.getHost()
              + ":"
              + options.getPort()
              + "/"
              + options.getDatabase(),
          "quarkus.datasource.username",
          options.getUser(),
          "quarkus.datasource.password",
          options.getPassword());
    }

    @Override
    public void stop() {}
  }

  /** How long the boot may take to poll, run the three updates and commit their sessions. */
  private static final Duration WITHIN = Duration.ofSeconds(60);

  private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(10);

  @Inject SessionStore store;
  @Inject Pool pool;

  @Test
  void autoSelectsPostgresAndTheDemoBotCountsThere() throws Exception {
    assertInstanceOf(PostgresSessionStore.class, store);
    FakeBotApi fake = FakeBotApiResource.fake();
    long chat = 8_000_001;
    pool.preparedQuery("DELETE FROM bot_session WHERE key = $1")
        .execute(Tuple.of(Long.toString(chat)))
        .await()
        .atMost(QUERY_TIMEOUT);
    fake.enqueue(Updates.command(chat, chat, "start", ""));
    fake.enqueue(Updates.text(chat, chat, "a"));
    fake.enqueue(Updates.text(chat, chat, "b"));
    await("three replies in chat " + chat)
        .atMost(WITHIN)
        .until(() -> fake.sentMessages(chat).size() >= 3);
    assertEquals(
        List.of(DemoBot.GREETING, "1: a", "2: b"),
        fake.sentMessages(chat).stream().map(SentMessage::text).toList());
    // The reply is sent before the update's session write commits: wait for the commit.
    Row row =
        await("the second update's session write committed")
            .atMost(WITHIN)
            .until(
                () -> sessionRow(chat),
                r -> r != null && Integer.valueOf(2).equals(r.getInteger("count")));
    assertEquals(2, row.getInteger("count"));
    assertEquals(2, row.getLong("version"));
  }

  /** The demo counter's row of {@code chat} in {@code bot_session}, or null when there is none. */
  private Row sessionRow(long chat) {
    RowIterator<Row> rows =
        pool.preparedQuery(
                "SELECT (data->>'count')::int AS count, version FROM bot_session"
                    + " WHERE bot_id = $1 AND key = $2")
            .execute(Tuple.of(FakeBotApi.BOT_ID, Long.toString(chat)))
            .await()
            .atMost(QUERY_TIMEOUT)
            .iterator();
    return rows.hasNext() ? rows.next() : null;
  }
}
