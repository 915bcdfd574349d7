package dev.botrunner.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.internal.store.PostgresSessionStore;
import dev.botrunner.pg.TestDatabase;
import dev.botrunner.pg.TestPostgres;
import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.SentMessage;
import dev.botrunner.testkit.Updates;
import io.vertx.pgclient.PgConnectOptions;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Runs the packaged service ({@code target/quarkus-app/quarkus-run.jar}) as a child process in
 * polling mode against the fake Bot API and an embedded PostgreSQL, SIGKILLs it at about half of
 * 5,000 updates over 100 chats, restarts it, and checks: every update processed at least once, each
 * chat's demo counter equals its message count (exactly-once session effects), and a reply for
 * every update; and no update was fetched twice before the kill, nor more than twice in all. The
 * second process is stopped with SIGTERM (graceful drain).
 *
 * <p>An integration test: Failsafe runs it in {@code ./mvnw verify} after {@code package} built the
 * jar. Alone: {@code ./mvnw -B verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=CrashIT}.
 */
class CrashIT {

  private static final int CHATS = 100;
  private static final int TOTAL = 5_000;
  private static final long FIRST_CHAT = 70_000;
  private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

  @Test
  void sigkillAtHalfThenRestartLosesNothingAndCountsExactlyOnce() throws Exception {
    assertTrue(Files.exists(JAR), "build the jar first: ./mvnw package -DskipTests");
    PgConnectOptions db = TestPostgres.options();
    try (TestDatabase database = TestDatabase.open(4);
        FakeBotApi fake = FakeBotApi.start()) {
      PostgresSessionStore store = database.store();
      database.sql(
          "DELETE FROM bot_session; DELETE FROM bot_processed_update;"
              + " DELETE FROM bot_pending_update");
      List<Update> updates = Updates.sequence(1_000_000).textsOverChats(TOTAL, FIRST_CHAT, CHATS);
      fake.enqueue(updates);

      Process first = launch(fake, db, 1);
      // Looked at often, so the kill lands near half-way.
      Awaitility.await("the first process got to half")
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(5))
          .until(() -> alive(first, "first") && fake.sentMessages().size() >= TOTAL / 2);
      first.destroyForcibly(); // SIGKILL
      first.waitFor(30, TimeUnit.SECONDS);
      int repliesBeforeKill = fake.sentMessages().size();
      System.out.printf("killed at %d replies%n", repliesBeforeKill);
      // Each fetched batch was saved before the next poll confirmed it: nothing was fetched twice.
      Map<Integer, Integer> fetchedBeforeKill = fake.deliveries();
      assertEquals(
          1,
          fetchedBeforeKill.values().stream().mapToInt(Integer::intValue).max().orElse(1),
          "no update fetched twice by the first process");

      Process second = launch(fake, db, 2);
      try {
        Awaitility.await("the second process finished the rest")
            .atMost(Duration.ofMinutes(5))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () ->
                    alive(second, "second")
                        && TestDatabase.demoTotal(store, FIRST_CHAT, CHATS) >= TOTAL
                        && fake.pendingUpdates() == 0);
      } finally {
        second.destroy(); // SIGTERM: drain
        assertTrue(second.waitFor(60, TimeUnit.SECONDS), "the second process stopped");
      }

      for (int c = 0; c < CHATS; c++) {
        long chat = FIRST_CHAT + c;
        assertEquals(TOTAL / CHATS, TestDatabase.demoCount(store, chat), "counter of chat " + chat);
        Set<String> replied = new HashSet<>();
        for (SentMessage m : fake.sentMessages(chat)) {
          replied.add(m.text());
        }
        // The demo bot answers "<count>: <text>": every message has its reply (maybe twice).
        for (int k = 0; k < TOTAL / CHATS; k++) {
          String expected = (k + 1) + ": m" + (k * CHATS + c);
          assertTrue(replied.contains(expected), "chat " + chat + " missing reply " + expected);
        }
      }
      // At most once more: those saved but not yet confirmed when the process died.
      Map<Integer, Integer> fetched = fake.deliveries();
      assertEquals(TOTAL, fetched.size(), "every update fetched");
      int most = fetched.values().stream().mapToInt(Integer::intValue).max().orElse(0);
      assertTrue(most <= 2, "an update fetched " + most + " times");
      System.out.printf(
          "replies: %d for %d updates (%d repeated); getUpdates handed out %d (%d before the"
              + " kill)%n",
          fake.sentMessages().size(),
          TOTAL,
          fake.sentMessages().size() - TOTAL,
          fetched.values().stream().mapToInt(Integer::intValue).sum(),
          fetchedBeforeKill.values().stream().mapToInt(Integer::intValue).sum());
    }
  }

  private static Process launch(FakeBotApi fake, PgConnectOptions db, int n) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
            java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString());
    Map<String, String> env = builder.environment();
    env.put("BOT_TOKEN", FakeBotApi.TOKEN);
    env.put("BOT_API_URL", fake.baseUrl());
    env.put("BOT_MODE", "polling");
    env.put("BOT_POLLING_TIMEOUT", "1");
    env.put("BOT_CONCURRENCY", "50");
    env.put("BOT_SHUTDOWN_GRACE", "10s");
    env.put("QUARKUS_HTTP_PORT", "0");
    env.put(
        "QUARKUS_DATASOURCE_REACTIVE_URL",
        "postgresql://" + db.getHost() + ":" + db.getPort() + "/" + db.getDatabase());
    env.put("QUARKUS_DATASOURCE_USERNAME", db.getUser());
    env.put("QUARKUS_DATASOURCE_PASSWORD", db.getPassword());
    File log = new File("target/crash-test-process-" + n + ".log");
    builder.redirectErrorStream(true).redirectOutput(log);
    return builder.start();
  }

  /** Fails the wait at once when the process died instead of running out the clock. */
  private static boolean alive(Process process, String which) {
    assertTrue(process.isAlive(), "the " + which + " process is running");
    return true;
  }
}
