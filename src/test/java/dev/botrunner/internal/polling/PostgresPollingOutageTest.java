package dev.botrunner.internal.polling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.example.DemoBot;
import dev.botrunner.internal.health.DatabaseReadinessCheck;
import dev.botrunner.internal.logging.LogCapture;
import dev.botrunner.internal.store.PostgresPendingUpdates;
import dev.botrunner.internal.store.PostgresPollerLock;
import dev.botrunner.internal.store.PostgresSessionStore;
import dev.botrunner.pg.TestDatabase;
import dev.botrunner.pg.TestPostgres;
import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.SentMessage;
import dev.botrunner.testkit.Updates;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped for a few seconds in the middle of a polling run: readiness goes DOWN and back
 * UP, updates wait for the database instead of failing, every update is answered once it is back,
 * each chat's counter is exact, and the log stays short. Uses its own embedded server (skipped
 * against an external one, which it must not stop).
 */
class PostgresPollingOutageTest {

  private static final int UPDATES = 5_000;
  private static final int CHATS = 100;
  private static final long FIRST_CHAT = 9_100;
  private static final Duration OUTAGE = Duration.ofSeconds(3);
  private static final int MAX_OUTAGE_LOG_LINES = 300;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration LOCK_RETRY = Duration.ofSeconds(3);

  @Test
  void aRestartDelaysUpdatesAndLosesNone() throws Exception {
    Assumptions.assumeFalse(TestPostgres.external(), "needs an embedded server it may stop");
    EmbeddedPostgres.Builder builder = TestPostgres.restartable("botrunner-pg-polling-outage");
    EmbeddedPostgres pg = TestPostgres.start(builder);
    int port = pg.getPort();
    Vertx vertx = Vertx.vertx();
    Pool pool = TestPostgres.pool(vertx, TestPostgres.optionsOf(port), 8);
    PostgresSessionStore store = new PostgresSessionStore(pool, TestDatabase.BOT, null);
    try (FakeBotApi fake = FakeBotApi.start()) {
      TestPostgres.migrate(TestPostgres.optionsOf(port));
      fake.enqueue(Updates.sequence(1).textsOverChats(UPDATES, FIRST_CHAT, CHATS));
      try (Pipeline pipeline =
          Pipeline.with(fake)
              .concurrency(16)
              .bot(DemoBot::install)
              .store(store)
              // As the service wires it with PostgreSQL: spilled updates saved there, and the
              // poller lock, whose connection the restart kills too.
              .poller(
                  poller ->
                      poller
                          .pendingUpdates(new PostgresPendingUpdates(pool, TestDatabase.BOT))
                          .pollerLock(
                              new PostgresPollerLock(
                                  vertx, TestPostgres.optionsOf(port), TestDatabase.BOT),
                              LOCK_RETRY))
              .build()) {
        pipeline.start();
        assertTrue(fake.awaitSentMessages(UPDATES / 3, Duration.ofSeconds(30)), "warm-up");
        DatabaseReadinessCheck ready = new DatabaseReadinessCheck(() -> pool, READY_TIMEOUT);
        assertEquals(Status.UP, ready.call().await().indefinitely().getStatus());
        int stoppedAt;
        try (LogCapture log = new LogCapture()) {
          TestPostgres.close(pg);
          assertEquals(Status.DOWN, ready.call().await().indefinitely().getStatus());
          stoppedAt = answered(fake).size();
          // The outage itself: how long the database stays away, not a wait for something.
          Thread.sleep(OUTAGE.toMillis());
          assertEquals(Status.DOWN, ready.call().await().indefinitely().getStatus());
          pg = TestPostgres.start(builder);
          long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
          while (answered(fake).size() < UPDATES && System.nanoTime() < deadline) {
            fake.awaitSentMessages(fake.sentMessages().size() + 1, Duration.ofSeconds(1));
          }
          // A reply goes out before its session write commits: wait for every update's end.
          while (pipeline.dispatcher.doneCount() < UPDATES && System.nanoTime() < deadline) {
            pipeline
                .dispatcher
                .nextRelease()
                .toCompletableFuture()
                .completeOnTimeout(null, 1, TimeUnit.SECONDS)
                .join();
          }
          assertEquals(
              UPDATES,
              pipeline.dispatcher.doneCount(),
              "every update done; failed "
                  + pipeline.dispatcher.failedCount()
                  + ", unfinished "
                  + pipeline.poller.unfinished()
                  + ", poller "
                  + pipeline.poller.state());
          assertEquals(Status.UP, ready.call().await().indefinitely().getStatus());
          assertEquals(0, pipeline.dispatcher.failedCount(), "none failed");
          List<String> lines = log.lines();
          assertEquals(
              UPDATES,
              answered(fake).size(),
              "every update answered ("
                  + stoppedAt
                  + " before the outage); log: "
                  + lines.subList(0, Math.min(20, lines.size())));
          assertTrue(
              lines.size() <= MAX_OUTAGE_LOG_LINES,
              lines.size() + " log lines: " + lines.subList(0, Math.min(20, lines.size())));
        }
      }
      for (SentMessage sent : fake.sentMessages()) {
        // "count: m<i>": the i-th update is the (i / CHATS + 1)-th of its chat. A rerun answers
        // again with the same count, so every reply, repeated or not, shows the chat's order.
        String[] parts = sent.text().split(": m");
        assertEquals(
            Integer.parseInt(parts[1]) / CHATS + 1,
            Integer.parseInt(parts[0]),
            "in order per chat, each increment once: " + sent.text());
      }
      for (int c = 0; c < CHATS; c++) {
        assertEquals(
            UPDATES / CHATS,
            TestDatabase.demoCount(store, FIRST_CHAT + c),
            "chat " + (FIRST_CHAT + c) + ": no lost and no doubled increment");
      }
    } finally {
      pool.closeAndAwait();
      vertx.closeAndAwait();
      TestPostgres.close(pg);
    }
  }

  /** The texts answered ("count: text"): one per update, however often it was answered. */
  private static Set<String> answered(FakeBotApi fake) {
    Set<String> texts = new HashSet<>();
    for (SentMessage sent : fake.sentMessages()) {
      texts.add(sent.chatId() + "/" + sent.text().substring(sent.text().indexOf(' ') + 1));
    }
    return texts;
  }
}
