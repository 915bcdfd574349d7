package dev.botrunner.crash;

import static dev.botrunner.crash.WebhookProcesses.JAR;
import static dev.botrunner.crash.WebhookProcesses.assertEveryChatComplete;
import static dev.botrunner.crash.WebhookProcesses.await;
import static dev.botrunner.crash.WebhookProcesses.awaitReady;
import static dev.botrunner.crash.WebhookProcesses.freePort;
import static dev.botrunner.crash.WebhookProcesses.launch;
import static dev.botrunner.crash.WebhookProcesses.lines;
import static dev.botrunner.crash.WebhookProcesses.post;
import static dev.botrunner.crash.WebhookProcesses.readyStatus;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.internal.store.PostgresSessionStore;
import dev.botrunner.pg.TestDatabase;
import dev.botrunner.pg.TestPostgres;
import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.UpdateFactory;
import dev.botrunner.testkit.Updates;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * PostgreSQL restarted in the middle of a webhook run of the packaged service: readiness goes DOWN
 * and back UP, every update is processed once as far as sessions go (each chat's demo counter
 * equals its message count) and answered, and the process logs at most a few hundred lines for the
 * outage. Telegram's side re-sends every post not answered 200, as Telegram does.
 */
class WebhookOutageIT {

  private static final int CHATS = 20;
  private static final int PER_CHAT = 50;
  private static final long FIRST_CHAT = 95_000;

  /** How long PostgreSQL stays stopped: time itself, the outage the service must ride out. */
  private static final Duration OUTAGE = Duration.ofSeconds(3);

  private static final int MAX_OUTAGE_LOG_LINES = 300;

  /**
   * Telegram's pause before it re-sends a post not answered 200: time itself, the pace of the
   * re-sends that go on through the outage.
   */
  private static final Duration RESEND_DELAY = Duration.ofMillis(100);

  @Test
  void aDatabaseRestartDelaysWebhookUpdatesAndLosesNone() throws Exception {
    assertTrue(Files.exists(JAR), "build the jar first: ./mvnw package -DskipTests");
    Assumptions.assumeFalse(TestPostgres.external(), "needs an embedded server it may stop");
    EmbeddedPostgres.Builder builder = TestPostgres.restartable("botrunner-pg-webhook-outage");
    EmbeddedPostgres pg = TestPostgres.start(builder);
    PgConnectOptions db = TestPostgres.optionsOf(pg.getPort());
    Vertx vertx = Vertx.vertx();
    Pool pool = TestPostgres.pool(vertx, db, 2);
    PostgresSessionStore store = new PostgresSessionStore(pool, TestDatabase.BOT, null);
    ExecutorService telegram = Executors.newFixedThreadPool(CHATS);
    int port = freePort();
    Path log = Path.of("target/webhook-process-outage.log");
    try (FakeBotApi fake = FakeBotApi.start()) {
      fake.latency("sendMessage", Duration.ofMillis(5));
      Process service = launch(fake, db, port, "outage");
      try {
        awaitReady(service, port);
        UpdateFactory updates = Updates.sequence(8_000_000);
        List<Future<?>> chats = new ArrayList<>();
        AtomicInteger answered = new AtomicInteger();
        for (int c = 0; c < CHATS; c++) {
          List<Update> chat = new ArrayList<>();
          for (int i = 0; i < PER_CHAT; i++) {
            chat.add(updates.text(FIRST_CHAT + c, FIRST_CHAT + c, "m" + i));
          }
          chats.add(
              telegram.submit(
                  () -> {
                    for (Update update : chat) {
                      deliver(port, update);
                      answered.incrementAndGet();
                    }
                    return null;
                  }));
        }
        await(service, "a third answered", () -> answered.get() >= CHATS * PER_CHAT / 3);

        long linesBefore = lines(log);
        TestPostgres.close(pg);
        await(service, "readiness DOWN", () -> readyStatus(port) == 503);
        int atStop = answered.get();
        // The outage itself: how long the database stays away, not a wait for something.
        Thread.sleep(OUTAGE.toMillis());
        pg = TestPostgres.start(builder);
        await(service, "readiness UP again", () -> readyStatus(port) == 200);
        for (Future<?> chat : chats) {
          chat.get(2, TimeUnit.MINUTES);
        }
        try {
          await(
              service,
              "every chat's counter complete",
              () -> TestDatabase.demoTotal(store, FIRST_CHAT, CHATS) == CHATS * PER_CHAT);
        } catch (AssertionError notComplete) {
          // Say which chat is off and by what, not only that the total never matched.
          assertEveryChatComplete(store, fake, FIRST_CHAT, CHATS, PER_CHAT, (c, i) -> i);
          throw notComplete;
        }
        long outageLines = lines(log) - linesBefore;

        assertTrue(atStop < CHATS * PER_CHAT, "stopped mid-run, after " + atStop + " answers");
        assertEveryChatComplete(store, fake, FIRST_CHAT, CHATS, PER_CHAT, (c, i) -> i);
        assertTrue(
            outageLines <= MAX_OUTAGE_LOG_LINES,
            "the outage logged " + outageLines + " lines; see " + log);
      } finally {
        service.destroy();
        service.waitFor(60, TimeUnit.SECONDS);
      }
    } finally {
      telegram.shutdownNow();
      pool.closeAndAwait();
      vertx.closeAndAwait();
      TestPostgres.close(pg);
    }
  }

  /** Posts until the service answers 200, as Telegram re-sends. */
  private static void deliver(int port, Update update) throws InterruptedException {
    while (true) {
      try {
        if (post(port, update).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // a re-send follows
      }
      Thread.sleep(RESEND_DELAY.toMillis());
    }
  }
}
