package example.orders.crash;

import static example.orders.crash.OrdersProcesses.assertExactlyOnce;
import static example.orders.crash.OrdersProcesses.await;
import static example.orders.crash.OrdersProcesses.orders;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.testkit.FakeBotApi;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The orders bot under load with its process SIGKILLed three times mid-run and restarted (polling):
 * 2,000 {@code /order} updates over 50 chats. Afterwards the order rows equal the distinct updates,
 * each chat's session counter is exact, every order was announced at least once, and no reply
 * announces an attempt that rolled back ({@link OrdersProcesses#assertExactlyOnce}).
 *
 * <p>Failsafe runs it in {@code verify}, after {@code package} built the jar.
 */
class OrdersKillIT {

  private static final int TOTAL = 2_000;
  private static final int CHATS = 50;
  private static final long FIRST_CHAT = 50_000;
  private static final int KILLS = 3;

  @Test
  void threeKillsMidRunLeaveEveryOrderPlacedAndAnnouncedExactlyOnce() throws Exception {
    assertTrue(Files.exists(OrdersProcesses.JAR), "build the jar first: mvn package");
    try (EmbeddedPostgres db = OrdersProcesses.database();
        FakeBotApi fake = FakeBotApi.start()) {
      fake.enqueue(orders(TOTAL, FIRST_CHAT, CHATS, 1_000_000));
      for (int run = 0; run <= KILLS; run++) {
        Process process =
            OrdersProcesses.launch(
                db, fake, OrdersProcesses.freePort(), "polling-" + run, "polling");
        try {
          if (run < KILLS) {
            int killAt = TOTAL * (run + 1) / (KILLS + 1);
            await(process, "orders placed: " + killAt, () -> OrdersProcesses.orders(db) >= killAt);
            process.destroyForcibly(); // SIGKILL, mid-run
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "killed");
            System.out.printf(
                "run %d killed at %d orders, %d replies%n",
                run, OrdersProcesses.orders(db), fake.sentMessages().size());
            continue;
          }
          await(
              process,
              "every order placed and announced, the outbox drained",
              () -> {
                try {
                  return OrdersProcesses.orders(db) >= TOTAL
                      && fake.pendingUpdates() == 0
                      && OrdersProcesses.count(db, "SELECT count(*) FROM bot_outbox") == 0
                      && OrdersProcesses.count(
                              db,
                              "SELECT count(*) FROM bot_processed_update")
                          >= TOTAL;
                } catch (java.sql.SQLException e) {
                  return false;
                }
              });
        } finally {
          if (process.isAlive()) {
            process.destroy();
            process.waitFor(60, TimeUnit.SECONDS);
          }
        }
      }
      long swept = 0;
      for (int run = 0; run <= KILLS; run++) {
        swept += OrdersProcesses.sweepLines("polling-" + run);
      }
      System.out.printf("outbox sweeps that sent a killed process's calls: %d%n", swept);
      assertExactlyOnce(db, fake, FIRST_CHAT, CHATS, TOTAL);
    }
  }
}
