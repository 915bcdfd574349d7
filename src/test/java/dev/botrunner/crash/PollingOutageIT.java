package dev.botrunner.crash;

import static dev.botrunner.crash.WebhookProcesses.JAR;
import static dev.botrunner.crash.WebhookProcesses.assertEveryChatComplete;
import static dev.botrunner.crash.WebhookProcesses.await;
import static dev.botrunner.crash.WebhookProcesses.awaitReady;
import static dev.botrunner.crash.WebhookProcesses.freePort;
import static dev.botrunner.crash.WebhookProcesses.launch;
import static dev.botrunner.crash.WebhookProcesses.lines;
import static dev.botrunner.crash.WebhookProcesses.readyStatus;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.internal.store.PostgresSessionStore;
import dev.botrunner.pg.TestDatabase;
import dev.botrunner.pg.TestPostgres;
import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.Updates;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL restarted in the middle of a polling run of the packaged service (5,000 updates over
 * 100 chats, sessions in PostgreSQL, the poller lock held there): readiness goes DOWN and back UP,
 * the poller takes its lock again, every update is answered and counted exactly once, and the
 * process logs at most a few hundred lines for the outage.
 */
class PollingOutageIT {

  private static final int CHATS = 100;
  private static final int PER_CHAT = 50;
  private static final long FIRST_CHAT = 96_000;
  private static final Duration OUTAGE = Duration.ofSeconds(3);
  private static final int MAX_OUTAGE_LOG_LINES = 300;

  @Test
  void aDatabaseRestartDelaysPolledUpdatesAndLosesNone() throws Exception {
    assertTrue(Files.exists(JAR), "build the jar first: ./mvnw package -DskipTests");
    Assumptions.assumeFalse(TestPostgres.external(), "needs an embedded server it may stop");
    EmbeddedPostgres.Builder builder = TestPostgres.restartable("botrunner-pg-polling-outage");
    EmbeddedPostgres pg = TestPostgres.start(builder);
    PgConnectOptions db = TestPostgres.optionsOf(pg.getPort());
    Vertx vertx = Vertx.vertx();
    Pool pool = TestPostgres.pool(vertx, db, 2);
    PostgresSessionStore store = new PostgresSessionStore(pool, TestDatabase.BOT, null);
    int port = freePort();
    Path log = Path.of("target/polling-process-outage.log");
    try (FakeBotApi fake = FakeBotApi.start()) {
      fake.latency("sendMessage", Duration.ofMillis(5));
      Process service = launch(fake, db, port, "outage", "polling");
      try {
        awaitReady(service, port);
        fake.enqueue(
            Updates.sequence(9_000_000).textsOverChats(CHATS * PER_CHAT, FIRST_CHAT, CHATS));
        await(
            service, "a third answered", () -> fake.sentMessages().size() >= CHATS * PER_CHAT / 3);

        long linesBefore = lines(log);
        TestPostgres.close(pg);
        await(service, "readiness DOWN", () -> readyStatus(port) == 503);
        int atStop = fake.sentMessages().size();
        // The outage itself: how long the database stays away, not a wait for something.
        Thread.sleep(OUTAGE.toMillis());
        pg = TestPostgres.start(builder);
        await(service, "readiness UP again", () -> readyStatus(port) == 200);
        await(
            service,
            "every chat's counter complete",
            () -> TestDatabase.demoTotal(store, FIRST_CHAT, CHATS) == CHATS * PER_CHAT);
        long outageLines = lines(log) - linesBefore;

        assertTrue(atStop < CHATS * PER_CHAT, "stopped mid-run, after " + atStop + " replies");
        // textsOverChats deals m0, m1, ... round-robin over the chats.
        assertEveryChatComplete(store, fake, FIRST_CHAT, CHATS, PER_CHAT, (c, i) -> i * CHATS + c);
        assertTrue(
            outageLines <= MAX_OUTAGE_LOG_LINES,
            "the outage logged " + outageLines + " lines; see " + log);
      } finally {
        service.destroy();
        service.waitFor(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.closeAndAwait();
      vertx.closeAndAwait();
      TestPostgres.close(pg);
    }
  }
}
