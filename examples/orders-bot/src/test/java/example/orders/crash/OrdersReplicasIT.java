package example.orders.crash;

import static example.orders.crash.OrdersProcesses.assertExactlyOnce;
import static example.orders.crash.OrdersProcesses.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.testkit.FakeBotApi;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Two webhook replicas of the packaged orders bot on one PostgreSQL behind a round-robin balancer
 * (the test plays Telegram and the balancer: each chat's updates are posted one after another,
 * alternating between the replicas; a failed post goes again to the other one). Replica A is
 * SIGKILLed mid-run. Afterwards the same equalities as {@link OrdersKillIT}.
 */
class OrdersReplicasIT {

  private static final int CHATS = 40;
  private static final int PER_CHAT = 25;
  private static final long FIRST_CHAT = 60_000;
  private static final int KILL_AFTER = CHATS * PER_CHAT / 3;

  /** Telegram's pause before it re-sends a failed post: time itself. */
  private static final Duration RESEND_DELAY = Duration.ofMillis(100);

  @Test
  void oneOfTwoReplicasKilledMidRunLeavesEveryOrderPlacedAndAnnouncedExactlyOnce()
      throws Exception {
    assertTrue(Files.exists(OrdersProcesses.JAR), "build the jar first: mvn package");
    int total = CHATS * PER_CHAT;
    try (EmbeddedPostgres db = OrdersProcesses.database();
        FakeBotApi fake = FakeBotApi.start()) {
      int[] ports = {OrdersProcesses.freePort(), OrdersProcesses.freePort()};
      Process[] replicas = {
        OrdersProcesses.launch(db, fake, ports[0], "replica-a", "webhook"),
        OrdersProcesses.launch(db, fake, ports[1], "replica-b", "webhook")
      };
      AtomicBoolean[] dead = {new AtomicBoolean(), new AtomicBoolean()};
      AtomicInteger answered = new AtomicInteger();
      ExecutorService telegram = Executors.newFixedThreadPool(CHATS);
      try {
        OrdersProcesses.awaitReady(replicas[0], ports[0]);
        OrdersProcesses.awaitReady(replicas[1], ports[1]);
        List<Update> all = OrdersProcesses.orders(total, FIRST_CHAT, CHATS, 2_000_000);
        List<Future<?>> chats = new ArrayList<>();
        for (int c = 0; c < CHATS; c++) {
          int chat = c;
          chats.add(
              telegram.submit(
                  () -> {
                    for (int i = chat; i < total; i += CHATS) {
                      deliver(all.get(i), i, ports, dead);
                      answered.incrementAndGet();
                    }
                    return null;
                  }));
        }
        await(replicas[0], "some posts answered", () -> answered.get() >= KILL_AFTER);
        replicas[0].destroyForcibly(); // SIGKILL: its open units and unsent outbox die with it
        assertTrue(replicas[0].waitFor(30, TimeUnit.SECONDS), "replica A died");
        System.out.printf(
            "replica A killed after %d answers, %d orders%n",
            answered.get(), OrdersProcesses.orders(db));
        for (Future<?> chat : chats) {
          chat.get(4, TimeUnit.MINUTES);
        }
        await(
            replicas[1],
            "every order placed and announced, nothing pending, the outbox drained",
            () -> {
              try {
                return OrdersProcesses.orders(db) >= total
                    && OrdersProcesses.count(db, "SELECT count(*) FROM bot_pending_update") == 0
                    && OrdersProcesses.count(db, "SELECT count(*) FROM bot_outbox") == 0;
              } catch (SQLException e) {
                return false;
              }
            });
        System.out.printf(
            "outbox sweeps that sent a killed replica's calls: %d%n",
            OrdersProcesses.sweepLines("replica-b"));
        assertExactlyOnce(db, fake, FIRST_CHAT, CHATS, total);
      } finally {
        telegram.shutdownNow();
        for (Process replica : replicas) {
          replica.destroy();
          replica.waitFor(60, TimeUnit.SECONDS);
        }
      }
    }
  }

  /** Posts until a replica answers 200: round robin; a replica whose connection fails is out. */
  private static void deliver(Update update, int turn, int[] ports, AtomicBoolean[] dead)
      throws InterruptedException {
    for (int attempt = 0; ; attempt++) {
      int replica = (turn + attempt) % 2;
      if (dead[replica].get()) {
        replica = 1 - replica;
      }
      try {
        if (OrdersProcesses.post(ports[replica], update) == 200) {
          return;
        }
      } catch (IOException e) {
        dead[replica].set(true);
      }
      Thread.sleep(RESEND_DELAY.toMillis());
    }
  }
}
