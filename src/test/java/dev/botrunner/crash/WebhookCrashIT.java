package dev.botrunner.crash;

import static dev.botrunner.crash.WebhookProcesses.JAR;
import static dev.botrunner.crash.WebhookProcesses.await;
import static dev.botrunner.crash.WebhookProcesses.awaitReady;
import static dev.botrunner.crash.WebhookProcesses.freePort;
import static dev.botrunner.crash.WebhookProcesses.launch;
import static dev.botrunner.crash.WebhookProcesses.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.internal.store.PostgresSessionStore;
import dev.botrunner.pg.TestDatabase;
import dev.botrunner.pg.TestPostgres;
import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.Updates;
import io.vertx.pgclient.PgConnectOptions;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Runs the packaged service ({@code target/quarkus-app/quarkus-run.jar}) as a child process in
 * webhook mode against the fake Bot API and an embedded PostgreSQL. One update's reply is held by
 * the fake far beyond {@code BOT_WEBHOOK_TIMEOUT}, so the post is answered 200 at the deadline
 * while the update still runs; the process is then SIGKILLed, so its memory is gone and Telegram
 * (having had its 200) never re-sends. A second process must run the update from {@code
 * bot_pending_update}: the demo counter of the chat becomes 1 and the row is removed. A second test
 * makes the save fail (a constraint refuses the row): the answer must be 500, and Telegram's
 * re-send is answered 200 once the save succeeds, without running the update twice.
 *
 * <p>An integration test: Failsafe runs it in {@code ./mvnw verify} after {@code package} built the
 * jar. Alone: {@code ./mvnw -B verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=WebhookCrashIT}.
 */
class WebhookCrashIT {

  private static final long CHAT = 91_000;

  /** Far beyond the deadline: the first process is killed long before this answer comes. */
  private static final Duration HELD_REPLY = Duration.ofSeconds(40);

  @Test
  void updateAnsweredAtTheDeadlineRunsInTheNextProcessAfterSigkill() throws Exception {
    assertTrue(Files.exists(JAR), "build the jar first: ./mvnw package -DskipTests");
    PgConnectOptions db = TestPostgres.options();
    try (TestDatabase database = TestDatabase.open(2);
        FakeBotApi fake = FakeBotApi.start()) {
      PostgresSessionStore store = database.store();
      database.sql(
          "DELETE FROM bot_session; DELETE FROM bot_processed_update;"
              + " DELETE FROM bot_pending_update");
      fake.script("sendMessage").delay(HELD_REPLY);
      Update slow = Updates.sequence(5_000_000).text(CHAT, CHAT, "slow");

      int firstPort = freePort();
      Process first = launch(fake, db, firstPort, "crash-1");
      try {
        awaitReady(first, firstPort);
        HttpResponse<Void> answer = post(firstPort, slow);
        assertEquals(200, answer.statusCode(), "answered at the deadline");
        // The update runs (its reply is held) and was saved before the 200 went out.
        assertTrue(fake.calls("sendMessage").size() == 1, "the update is running");
        assertEquals(1, database.rows("bot_pending_update"), "saved before the 200");
        assertEquals(0, TestDatabase.demoCount(store, CHAT), "not finished");
      } finally {
        first.destroyForcibly(); // SIGKILL: nothing in memory survives
        assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the first process died");
      }

      // A row left by a process that died after the update committed but before the row was
      // deleted: the rerun must be skipped by the processed mark.
      Update committed = Updates.sequence(5_000_100).text(CHAT + 2, CHAT + 2, "done before");
      long bot = TestDatabase.BOT.value();
      database.sql(
          "INSERT INTO bot_processed_update (bot_id, update_id, processed_at) VALUES ("
              + bot
              + ", "
              + committed.getUpdateId()
              + ", now());"
              + " INSERT INTO bot_pending_update"
              + " (bot_id, update_id, data, received_at, owner, lease_until) VALUES ("
              + bot
              + ", "
              + committed.getUpdateId()
              + ", '"
              + Updates.toJson(committed).replace("'", "''")
              + "', now(), 'dead', now())");

      int secondPort = freePort();
      Process second = launch(fake, db, secondPort, "crash-2");
      try {
        await(
            second,
            "the second process ran the update and removed both rows",
            () ->
                TestDatabase.demoCount(store, CHAT) == 1
                    && database.rows("bot_pending_update") == 0);
        assertEquals(0, TestDatabase.demoCount(store, CHAT + 2), "a committed update ran again");
        assertEquals(List.of(), fake.sentMessages(CHAT + 2), "a committed update replied again");
        assertTrue(
            fake.sentMessages(CHAT).stream().anyMatch(m -> m.text().equals("1: slow")),
            "the reply was sent: " + fake.sentMessages(CHAT));
      } finally {
        second.destroy(); // SIGTERM: drain
        assertTrue(second.waitFor(60, TimeUnit.SECONDS), "the second process stopped");
      }
    }
  }

  @Test
  void updateThatCannotBeSavedAtTheDeadlineIsAnswered500AndTheResendOnceSaved() throws Exception {
    assertTrue(Files.exists(JAR), "build the jar first: ./mvnw package -DskipTests");
    PgConnectOptions db = TestPostgres.options();
    try (TestDatabase database = TestDatabase.open(2);
        FakeBotApi fake = FakeBotApi.start()) {
      database.sql(
          "DELETE FROM bot_session; DELETE FROM bot_processed_update;"
              + " DELETE FROM bot_pending_update");
      Update slow = Updates.sequence(6_000_000).text(CHAT + 1, CHAT + 1, "slow");
      // The database refuses this one row, as it would refuse every write while it is away.
      database.sql(
          "ALTER TABLE bot_pending_update ADD CONSTRAINT refuse_one"
              + " CHECK (update_id <> "
              + slow.getUpdateId()
              + ")");
      fake.script("sendMessage").delay(HELD_REPLY);
      int port = freePort();
      Process process = launch(fake, db, port, "crash-3");
      try {
        awaitReady(process, port);
        assertEquals(500, post(port, slow).statusCode(), "not saved: Telegram must re-send");
        assertEquals(0, database.rows("bot_pending_update"));

        database.sql("ALTER TABLE bot_pending_update DROP CONSTRAINT refuse_one");
        // Telegram's re-send: the original still runs, so it is answered once it is saved.
        assertEquals(200, post(port, slow).statusCode(), "saved on the re-send");
        assertEquals(1, database.rows("bot_pending_update"), "saved before the 200");
        assertEquals(1, fake.calls("sendMessage").size(), "the re-send did not run it twice");
      } finally {
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the process died");
        database.sql("ALTER TABLE bot_pending_update DROP CONSTRAINT IF EXISTS refuse_one");
        database.sql("DELETE FROM bot_pending_update");
      }
    }
  }
}
