package dev.botrunner.crash;

import static dev.botrunner.crash.WebhookProcesses.HTTP;
import static dev.botrunner.crash.WebhookProcesses.JAR;
import static dev.botrunner.crash.WebhookProcesses.assertEveryChatComplete;
import static dev.botrunner.crash.WebhookProcesses.await;
import static dev.botrunner.crash.WebhookProcesses.awaitReady;
import static dev.botrunner.crash.WebhookProcesses.freePort;
import static dev.botrunner.crash.WebhookProcesses.launch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.internal.store.PostgresSessionStore;
import dev.botrunner.pg.TestDatabase;
import dev.botrunner.pg.TestPostgres;
import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.GetUpdatesCall;
import dev.botrunner.testkit.SentMessage;
import dev.botrunner.testkit.UpdateFactory;
import dev.botrunner.testkit.Updates;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * A rolling update in polling mode: two replicas of the packaged service start together on a fresh
 * PostgreSQL database (both migrate it), one polls and the other stands by; after a warm-up of the
 * polling replica, 5,000 updates over 100 chats arrive at the fake Bot API at about 300 a second,
 * and the polling replica gets SIGTERM (it drains) or SIGKILL (it dies) once 1,500 have arrived.
 * The standby, waiting in PostgreSQL's queue for the poller lock, polls the moment the lock is
 * released or the dead replica's session ends. No update is lost, every chat's counter is exact,
 * and no update that arrived within a second of the signal, before or after, waited a second for
 * its reply (the wait of each update: from its arrival at the fake to its first reply's). Prints
 * p50, p99 and the maximum, of the handover's updates and of the whole run.
 *
 * <p>The standby's first poll must come within a second of the signal, always. The updates' waits
 * are held to the second only for the handover's updates, and only when the two seconds before them
 * ran smoothly (p99 under {@link #BUSY}): on a shared 2-core machine other builds can stall any
 * update of the run, and a machine that slow cannot time a sub-second handover (the test then says
 * so and is skipped).
 *
 * <p>Alone: {@code ./mvnw -B verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=PollingHandoverIT}.
 */
class PollingHandoverIT {

  private static final int CHATS = 100;
  private static final int PER_CHAT = 50;
  private static final int TOTAL = CHATS * PER_CHAT;
  private static final long FIRST_CHAT = 97_000;
  private static final int FIRST_UPDATE_ID = 11_000_000;

  /** Updates the polling replica runs before the measured ones, in chats of their own. */
  private static final int WARM_UP = 1_000;

  private static final long WARM_UP_CHAT = 98_000;

  /** How fast updates arrive at the fake Bot API. */
  private static final int PER_SECOND = 300;

  /** The polling replica is stopped once this many updates have arrived. */
  private static final int STOP_AT = 1_500;

  /** The handover's updates: those that arrived this long before or after the signal. */
  private static final Duration HANDOVER = Duration.ofSeconds(1);

  /** The longest a handover's update may wait for its reply, and the standby to poll. */
  private static final Duration LONGEST_WAIT = Duration.ofSeconds(1);

  /**
   * The steady run just before the handover's updates, whose waits tell how busy the machine is.
   */
  private static final Duration STEADY = Duration.ofSeconds(2);

  /**
   * A steady-state p99 from which on this machine is too busy (other builds on its 2 cores) to time
   * a sub-second handover: the wait assertion is then skipped, the takeover's is not.
   */
  private static final Duration BUSY = Duration.ofMillis(250);

  private static final Pattern POLLER = Pattern.compile("\"poller\"\\s*:\\s*\"(\\w+)\"");
  private static final Pattern REPLY = Pattern.compile("^\\d+: m(\\d+)$");

  /** How the polling replica goes. */
  enum Stop {
    /** SIGTERM: it drains, confirms its offset and releases the lock, as in a rolling update. */
    SIGTERM,
    /** SIGKILL: it dies; PostgreSQL ends its session, and with it the lock. */
    SIGKILL
  }

  @ParameterizedTest
  @EnumSource(Stop.class)
  void theStandbyPollsAtOnceWhenThePollingReplicaGoes(Stop stop) throws Exception {
    assertTrue(Files.exists(JAR), "build the jar first: ./mvnw package -DskipTests");
    String database = "handover_" + System.nanoTime();
    Vertx vertx = Vertx.vertx();
    Pool admin = TestPostgres.pool(vertx, TestPostgres.options(), 1);
    admin.query("CREATE DATABASE " + database).execute().await().atMost(Duration.ofSeconds(30));
    PgConnectOptions db = TestPostgres.options().setDatabase(database);
    Pool pool = TestPostgres.pool(vertx, db, 2);
    PostgresSessionStore store = new PostgresSessionStore(pool, TestDatabase.BOT, null);
    try (FakeBotApi fake = FakeBotApi.start()) {
      fake.latency("sendMessage", Duration.ofMillis(5));
      int[] ports = {freePort(), freePort()};
      String name = "handover-" + stop.name().toLowerCase();
      // Started together on the fresh database: both migrate it, and both must start.
      Process[] replicas = {
        launch(fake, db, ports[0], name + "-a", "polling", Map.of()),
        launch(fake, db, ports[1], name + "-b", "polling", Map.of())
      };
      try {
        awaitReady(replicas[0], ports[0]);
        awaitReady(replicas[1], ports[1]);
        await(
            replicas[0],
            "one replica polls, the other stands by",
            () -> {
              String a = poller(ports[0]);
              String b = poller(ports[1]);
              return "polling".equals(a) && "standby".equals(b)
                  || "standby".equals(a) && "polling".equals(b);
            });
        int leader = "polling".equals(poller(ports[0])) ? 0 : 1;
        Process polling = replicas[leader];
        Process standby = replicas[1 - leader];

        UpdateFactory ids = Updates.sequence(FIRST_UPDATE_ID);
        warmUp(fake, ids, polling);
        List<Update> updates = ids.textsOverChats(TOTAL, FIRST_CHAT, CHATS);
        long[] arrived = new long[TOTAL];
        long[] stoppedAt = new long[1];
        CompletableFuture<Long> exitedAt = polling.onExit().thenApply(gone -> System.nanoTime());
        CompletableFuture<Void> telegram =
            CompletableFuture.runAsync(
                () -> arrive(fake, updates, arrived, () -> stop(polling, stop), stoppedAt));
        telegram.get(2, TimeUnit.MINUTES);
        await(
            standby,
            "every chat's counter complete",
            () -> TestDatabase.demoTotal(store, FIRST_CHAT, CHATS) == TOTAL);
        assertTrue(polling.waitFor(60, TimeUnit.SECONDS), "the stopped replica exited");

        assertEveryChatComplete(store, fake, FIRST_CHAT, CHATS, PER_CHAT, (c, i) -> i * CHATS + c);
        long[] waits = waits(fake, arrived);
        List<Integer> all = new ArrayList<>();
        List<Integer> handover = new ArrayList<>();
        List<Integer> before = new ArrayList<>();
        for (int i = 0; i < TOTAL; i++) {
          all.add(i);
          long sinceSignal = arrived[i] - stoppedAt[0];
          if (Math.abs(sinceSignal) <= HANDOVER.toNanos()) {
            handover.add(i);
          } else if (sinceSignal < 0 && sinceSignal >= -STEADY.plus(HANDOVER).toNanos()) {
            before.add(i);
          }
        }
        long takeover = takeover(fake, stop, stoppedAt[0], exitedAt.join()) - stoppedAt[0];
        Map<Integer, Integer> fetched = fake.deliveries();
        // Updates handed out again: those a stopped poll had been given (a drain cancels its long
        // poll, the fake does not end it as Telegram does) or that a killed replica had saved.
        long again = fetched.values().stream().filter(n -> n > 1).count();
        System.out.printf(
            "handover (%s at update %d of %d, %d/s): the standby's first getUpdates %.1f ms after"
                + " the signal; wait for the reply of the %d updates that arrived within %d ms of"
                + " the signal %s; of all %s; of the %d before them %s; %d replies for %d updates,"
                + " %d update(s) fetched again%n",
            stop,
            STOP_AT,
            TOTAL,
            PER_SECOND,
            millis(takeover),
            handover.size(),
            HANDOVER.toMillis(),
            describe(handover, waits, arrived, stoppedAt[0]),
            describe(all, waits, arrived, stoppedAt[0]),
            before.size(),
            describe(before, waits, arrived, stoppedAt[0]),
            fake.sentMessages().size() - WARM_UP,
            TOTAL,
            again);
        assertEquals(WARM_UP + TOTAL, fetched.size(), "every update fetched");
        assertTrue(
            takeover < LONGEST_WAIT.toNanos(),
            stop + ": the standby polled " + millis(takeover) + " ms after the signal");
        long steadyP99 = percentile(before, waits, 99);
        Assumptions.assumeTrue(
            steadyP99 < BUSY.toNanos(),
            "this machine was too busy to time a sub-second handover: before it, p99 "
                + millis(steadyP99)
                + " ms");
        int slowest = slowest(handover, waits);
        assertTrue(
            waits[slowest] < LONGEST_WAIT.toNanos(),
            stop
                + ": update m"
                + slowest
                + ", arriving "
                + Math.round(millis(arrived[slowest] - stoppedAt[0]))
                + " ms after the signal, waited "
                + millis(waits[slowest])
                + " ms for its reply; the standby polled "
                + millis(takeover)
                + " ms after the signal");
      } finally {
        for (Process replica : replicas) {
          replica.destroy();
          replica.waitFor(60, TimeUnit.SECONDS);
        }
      }
    } finally {
      pool.closeAndAwait();
      admin
          .query("DROP DATABASE " + database + " WITH (FORCE)")
          .execute()
          .await()
          .atMost(Duration.ofSeconds(30));
      admin.closeAndAwait();
      vertx.closeAndAwait();
    }
  }

  /**
   * Runs {@link #WARM_UP} updates through the polling replica first, in chats of their own: the
   * measured run then times the handover and the standby's first updates, not the polling replica's
   * own first ones. The standby stays as cold as in a real rolling update.
   */
  private static void warmUp(FakeBotApi fake, UpdateFactory ids, Process polling) {
    for (int i = 0; i < WARM_UP; i++) {
      long chat = WARM_UP_CHAT + i % CHATS;
      fake.enqueue(ids.text(chat, chat, "warm-up " + i));
    }
    await(polling, "the warm-up answered", () -> fake.sentMessages().size() >= WARM_UP);
  }

  /**
   * Telegram's side: hands the updates to the fake at {@link #PER_SECOND}, one by one on a fixed
   * schedule, noting when each arrived, and runs {@code stop} (noting when) once {@link #STOP_AT}
   * have.
   */
  private static void arrive(
      FakeBotApi fake, List<Update> updates, long[] arrived, Runnable stop, long[] stoppedAt) {
    long gap = TimeUnit.SECONDS.toNanos(1) / PER_SECOND;
    long start = System.nanoTime();
    for (int i = 0; i < updates.size(); i++) {
      if (i == STOP_AT) {
        stoppedAt[0] = System.nanoTime();
        stop.run();
      }
      // The pace of the arrivals, not a wait for something to happen.
      long due = start + i * gap;
      for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
        LockSupport.parkNanos(due - now);
      }
      arrived[i] = System.nanoTime();
      fake.enqueue(updates.get(i));
    }
  }

  /**
   * @return each update's wait: from its arrival to the first reply that names it ({@code "<n>:
   *     m<i>"}, the demo bot's)
   */
  private static long[] waits(FakeBotApi fake, long[] arrived) {
    long[] waits = new long[arrived.length];
    Arrays.fill(waits, -1);
    for (SentMessage sent : fake.sentMessages()) {
      if (sent.chatId() < FIRST_CHAT || sent.chatId() >= FIRST_CHAT + CHATS) {
        continue; // the warm-up's
      }
      Matcher reply = REPLY.matcher(sent.text());
      assertTrue(reply.matches(), sent.text());
      int i = Integer.parseInt(reply.group(1));
      long wait = sent.call().arrivalNanos() - arrived[i];
      if (waits[i] < 0 || wait < waits[i]) {
        waits[i] = wait;
      }
    }
    for (int i = 0; i < waits.length; i++) {
      assertTrue(waits[i] >= 0, "update m" + i + " got no reply");
    }
    return waits;
  }

  /** The readiness probe's {@code poller} detail, or null while the service does not answer. */
  private static String poller(int port) {
    try {
      HttpRequest ready =
          HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/ready"))
              .timeout(Duration.ofSeconds(5))
              .build();
      Matcher poller =
          POLLER.matcher(HTTP.send(ready, HttpResponse.BodyHandlers.ofString()).body());
      return poller.find() ? poller.group(1) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * @return when the new leader's first getUpdates arrived: after SIGTERM, the first after the
   *     drained replica's confirmation of its offset ({@code limit} 1, {@code timeout} 0), its last
   *     call; after SIGKILL, the first after the killed process was gone
   */
  private static long takeover(FakeBotApi fake, Stop stop, long signal, long exited) {
    boolean confirmed = false;
    for (GetUpdatesCall poll : fake.getUpdatesCalls()) {
      long at = poll.call().arrivalNanos();
      boolean confirmation =
          Integer.valueOf(1).equals(poll.limit()) && Integer.valueOf(0).equals(poll.timeout());
      if (stop == Stop.SIGTERM && at > signal && confirmation) {
        confirmed = true;
      } else if (stop == Stop.SIGTERM ? confirmed : at > exited) {
        return at;
      }
    }
    throw new AssertionError(stop + ": the standby never polled");
  }

  /** p50, p99 and the maximum of some updates' waits, naming the slowest. */
  private static String describe(List<Integer> updates, long[] waits, long[] arrived, long signal) {
    int slowest = slowest(updates, waits);
    return String.format(
        Locale.ROOT,
        "p50 %.1f ms, p99 %.1f ms, max %.1f ms (m%d, arriving %d ms after the signal)",
        millis(percentile(updates, waits, 50)),
        millis(percentile(updates, waits, 99)),
        millis(waits[slowest]),
        slowest,
        Math.round(millis(arrived[slowest] - signal)));
  }

  private static long percentile(List<Integer> updates, long[] waits, int percent) {
    long[] sorted = updates.stream().mapToLong(i -> waits[i]).sorted().toArray();
    return sorted[sorted.length * percent / 100];
  }

  private static int slowest(List<Integer> updates, long[] waits) {
    int slowest = updates.get(0);
    for (int i : updates) {
      if (waits[i] > waits[slowest]) {
        slowest = i;
      }
    }
    return slowest;
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }

  private static void stop(Process replica, Stop how) {
    if (how == Stop.SIGTERM) {
      replica.destroy();
    } else {
      replica.destroyForcibly();
    }
  }
}
