package dev.botrunner.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.internal.config.BotId;
import dev.botrunner.pg.TestPostgres;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The poller lock's wait in PostgreSQL's queue: a standby gets the lock the moment the holder lets
 * go (released or its session ended), a round ends without it, and a wait that is cancelled or
 * closed leaves the queue, so it is never granted to a replica that no longer wants it.
 */
class PostgresPollerLockTest {

  /** A bot of its own, so that no other test's poller lock is counted here. */
  private static final BotId BOT = new BotId(5_550_001_111L);

  /**
   * A handover is one round trip once the holder's session is gone; this only has to be far below
   * the 3 s retry period standbys had before they waited in the queue.
   */
  private static final Duration HANDOVER = Duration.ofMillis(1_000);

  private static final Duration WAIT = Duration.ofSeconds(30);

  /**
   * How soon a closed or cancelled wait must have left the queue: well before its round ({@link
   * PostgresPollerLock#WAIT_ROUND}) would have ended it anyway.
   */
  private static final Duration LEFT_QUEUE = PostgresPollerLock.WAIT_ROUND.dividedBy(4);

  private Vertx vertx;
  private Pool admin;

  @BeforeEach
  void connect() {
    vertx = Vertx.vertx();
    admin = TestPostgres.pool(vertx, TestPostgres.options(), 1);
  }

  @AfterEach
  void disconnect() {
    admin.closeAndAwait();
    vertx.closeAndAwait();
  }

  private PostgresPollerLock lock() {
    return new PostgresPollerLock(vertx, TestPostgres.options(), BOT);
  }

  @Test
  void aWaitingStandbyTakesTheLockTheMomentTheHolderReleasesIt() throws Exception {
    PostgresPollerLock holder = lock();
    PostgresPollerLock standby = lock();
    try {
      assertTrue(holder.tryAcquire().await().atMost(WAIT));
      assertFalse(standby.tryAcquire().await().atMost(WAIT), "held by the other");
      CompletableFuture<Boolean> waited = standby.acquire().subscribeAsCompletionStage();
      awaitQueued(1);

      long released = System.nanoTime();
      holder.close();
      assertTrue(waited.get(WAIT.toSeconds(), TimeUnit.SECONDS), "granted, not a round's end");
      long tookMillis = (System.nanoTime() - released) / 1_000_000;
      assertTrue(tookMillis < HANDOVER.toMillis(), "the standby took over after " + tookMillis);
      assertTrue(standby.held());
    } finally {
      holder.close();
      standby.close();
    }
  }

  @Test
  void aWaitingStandbyTakesTheLockWhenTheHoldersSessionEnds() throws Exception {
    PostgresPollerLock holder = lock();
    PostgresPollerLock standby = lock();
    try {
      assertTrue(holder.tryAcquire().await().atMost(WAIT));
      CompletableFuture<Boolean> waited = standby.acquire().subscribeAsCompletionStage();
      awaitQueued(1);

      // The holder's connection dies (a crash, the network): PostgreSQL ends its session.
      long killed = System.nanoTime();
      admin
          .query(
              "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND"
                  + " granted AND "
                  + ours())
          .execute()
          .await()
          .atMost(WAIT);
      assertTrue(waited.get(WAIT.toSeconds(), TimeUnit.SECONDS), "granted");
      long tookMillis = (System.nanoTime() - killed) / 1_000_000;
      assertTrue(tookMillis < HANDOVER.toMillis(), "the standby took over after " + tookMillis);
      Awaitility.await("the holder saw its lock go").atMost(WAIT).until(() -> !holder.held());
    } finally {
      holder.close();
      standby.close();
    }
  }

  @Test
  void aRoundEndsWithoutTheLockAndLeavesTheQueue() {
    PostgresPollerLock holder = lock();
    PostgresPollerLock standby =
        new PostgresPollerLock(vertx, TestPostgres.options(), BOT, Duration.ofMillis(300));
    try {
      assertTrue(holder.tryAcquire().await().atMost(WAIT));
      assertFalse(standby.acquire().await().atMost(WAIT), "the round ended");
      assertEquals(0, queued());
      assertFalse(standby.held());
      // The same connection waits again, and gets the lock once it is free.
      holder.close();
      assertTrue(standby.acquire().await().atMost(WAIT));
    } finally {
      holder.close();
      standby.close();
    }
  }

  @Test
  void closingAStandbyTakesItsWaitOutOfTheQueue() {
    PostgresPollerLock holder = lock();
    PostgresPollerLock standby = lock();
    PostgresPollerLock next = lock();
    try {
      assertTrue(holder.tryAcquire().await().atMost(WAIT));
      CompletableFuture<Boolean> waited = standby.acquire().subscribeAsCompletionStage();
      awaitQueued(1);

      standby.close(); // as on shutdown
      awaitLeftQueue();
      holder.close();
      // Had the closed standby's wait stayed queued, it would have been granted the lock.
      Awaitility.await("the lock is free for the next replica")
          .atMost(WAIT)
          .until(() -> next.tryAcquire().await().atMost(WAIT));
      assertTrue(waited.isCompletedExceptionally(), "the closed standby's wait failed");
      assertFalse(standby.held());
    } finally {
      holder.close();
      standby.close();
      next.close();
    }
  }

  @Test
  void cancellingAWaitTakesItOutOfTheQueue() {
    PostgresPollerLock holder = lock();
    PostgresPollerLock standby = lock();
    PostgresPollerLock next = lock();
    try {
      assertTrue(holder.tryAcquire().await().atMost(WAIT));
      Cancellable waiting = standby.acquire().subscribe().with(item -> {}, failure -> {});
      awaitQueued(1);

      waiting.cancel(); // as the polling loop does when it stops or drains
      awaitLeftQueue();
      holder.close();
      Awaitility.await("the lock is free for the next replica")
          .atMost(WAIT)
          .until(() -> next.tryAcquire().await().atMost(WAIT));
      assertFalse(standby.held());
    } finally {
      holder.close();
      standby.close();
      next.close();
    }
  }

  /** Selects this test's lock in {@code pg_locks}. */
  private static String ours() {
    int[] keys = PostgresPollerLock.keys(BOT);
    return "classid = "
        + Integer.toUnsignedLong(keys[0])
        + " AND objid = "
        + Integer.toUnsignedLong(keys[1])
        + " AND objsubid = 2";
  }

  private long queued() {
    return admin
        .query(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND "
                + ours())
        .execute()
        .await()
        .atMost(WAIT)
        .iterator()
        .next()
        .getLong(0);
  }

  private void awaitLeftQueue() {
    Awaitility.await("the wait left the queue").atMost(LEFT_QUEUE).until(() -> queued() == 0);
  }

  private void awaitQueued(long waiters) {
    Awaitility.await(waiters + " waiting for the lock")
        .atMost(WAIT)
        .until(() -> queued() == waiters);
  }
}
