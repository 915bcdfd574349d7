package dev.botrunner.crash;

import static dev.botrunner.crash.WebhookProcesses.JAR;
import static dev.botrunner.crash.WebhookProcesses.assertEveryChatComplete;
import static dev.botrunner.crash.WebhookProcesses.await;
import static dev.botrunner.crash.WebhookProcesses.awaitReady;
import static dev.botrunner.crash.WebhookProcesses.freePort;
import static dev.botrunner.crash.WebhookProcesses.launch;
import static dev.botrunner.crash.WebhookProcesses.post;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.internal.store.PostgresSessionStore;
import dev.botrunner.pg.TestDatabase;
import dev.botrunner.pg.TestPostgres;
import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.UpdateFactory;
import dev.botrunner.testkit.Updates;
import io.vertx.pgclient.PgConnectOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Two webhook replicas of the packaged service on one PostgreSQL behind a round-robin load balancer
 * (the test plays both Telegram and the balancer: each chat's updates are posted one after another,
 * alternating between the replicas; a post that fails is sent again to the other one, as Telegram
 * re-sends and a balancer fails over). Replica A is SIGKILLed mid-run. Afterwards every update has
 * been processed exactly once as far as sessions go (each chat's demo counter equals its message
 * count), every message got its reply, and no update is left in {@code bot_pending_update}.
 */
class WebhookReplicasIT {

  private static final int CHATS = 40;
  private static final int PER_CHAT = 25;
  private static final long FIRST_CHAT = 93_000;

  /** Replica A dies once this many posts have been answered. */
  private static final int KILL_AFTER = CHATS * PER_CHAT / 3;

  /**
   * As docs/webhook.md advises for replicas: {@code retry}, so that a chat's update whose post was
   * answered at the deadline and which still runs when the chat's next update reaches the other
   * replica is run again on fresh data instead of reported failed. The deadline is 5 s here, not
   * the other process tests' 1 s: an update answered at the deadline lets the next one overtake it
   * on the other replica, and a first update on a loaded 2-core machine can take over 1 s; this
   * test's subject is the killed replica, whose posts fail and are re-sent to the live one.
   */
  private static final Map<String, String> REPLICA_SETTINGS =
      Map.of("BOT_SESSION_ON_CONFLICT", "retry", "BOT_WEBHOOK_TIMEOUT", "5s");

  /**
   * Telegram's pause before it re-sends a failed post: time itself, the pace of the re-sends while
   * a replica is gone.
   */
  private static final Duration RESEND_DELAY = Duration.ofMillis(100);

  @Test
  void noUpdateIsLostWhenOneReplicaIsKilledMidRun() throws Exception {
    assertTrue(Files.exists(JAR), "build the jar first: ./mvnw package -DskipTests");
    PgConnectOptions db = TestPostgres.options();
    try (TestDatabase database = TestDatabase.open(2);
        FakeBotApi fake = FakeBotApi.start()) {
      PostgresSessionStore store = database.store();
      database.sql(
          "DELETE FROM bot_session; DELETE FROM bot_processed_update;"
              + " DELETE FROM bot_pending_update");
      fake.latency("sendMessage", Duration.ofMillis(5));
      int[] ports = {freePort(), freePort()};
      Process[] replicas = {
        launch(fake, db, ports[0], "replica-a", "webhook", REPLICA_SETTINGS),
        launch(fake, db, ports[1], "replica-b", "webhook", REPLICA_SETTINGS)
      };
      AtomicBoolean[] dead = {new AtomicBoolean(), new AtomicBoolean()};
      AtomicInteger answered = new AtomicInteger();
      ExecutorService telegram = Executors.newFixedThreadPool(CHATS);
      try {
        awaitReady(replicas[0], ports[0]);
        awaitReady(replicas[1], ports[1]);
        UpdateFactory updates = Updates.sequence(7_000_000);
        List<List<Update>> perChat = new ArrayList<>();
        for (int c = 0; c < CHATS; c++) {
          List<Update> chat = new ArrayList<>();
          for (int i = 0; i < PER_CHAT; i++) {
            chat.add(updates.text(FIRST_CHAT + c, FIRST_CHAT + c, "m" + i));
          }
          perChat.add(chat);
        }
        List<Future<?>> chats = new ArrayList<>();
        for (int c = 0; c < CHATS; c++) {
          int chat = c;
          chats.add(
              telegram.submit(
                  () -> {
                    for (int i = 0; i < PER_CHAT; i++) {
                      deliver(perChat.get(chat).get(i), chat + i, ports, dead);
                      answered.incrementAndGet();
                    }
                    return null;
                  }));
        }
        await(replicas[0], "some posts answered", () -> answered.get() >= KILL_AFTER);
        replicas[0].destroyForcibly(); // SIGKILL: in-flight updates and their leases die with it
        assertTrue(replicas[0].waitFor(30, TimeUnit.SECONDS), "replica A died");
        int atKill = answered.get();
        assertTrue(atKill < CHATS * PER_CHAT, "killed mid-run, after " + atKill + " answers");
        for (Future<?> chat : chats) {
          chat.get(2, TimeUnit.MINUTES);
        }

        await(
            replicas[1],
            "every chat's counter complete and nothing pending",
            () ->
                TestDatabase.demoTotal(store, FIRST_CHAT, CHATS) == CHATS * PER_CHAT
                    && database.rows("bot_pending_update") == 0);
        assertEveryChatComplete(store, fake, FIRST_CHAT, CHATS, PER_CHAT, (c, i) -> i);
      } finally {
        telegram.shutdownNow();
        for (Process replica : replicas) {
          replica.destroy();
          replica.waitFor(60, TimeUnit.SECONDS);
        }
      }
    }
  }

  /**
   * Posts an update through the balancer until a replica answers 200: round robin over the live
   * replicas; a replica whose connection fails is taken out.
   */
  private static void deliver(Update update, int turn, int[] ports, AtomicBoolean[] dead)
      throws InterruptedException {
    for (int attempt = 0; ; attempt++) {
      int replica = (turn + attempt) % 2;
      if (dead[replica].get()) {
        replica = 1 - replica;
      }
      try {
        if (post(ports[replica], update).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        dead[replica].set(true);
      }
      Thread.sleep(RESEND_DELAY.toMillis());
    }
  }
}
