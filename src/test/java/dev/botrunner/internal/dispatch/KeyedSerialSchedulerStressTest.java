package dev.botrunner.internal.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * Racy tests of {@link KeyedSerialScheduler}: tasks complete on a thread pool after small random
 * delays. Latch timeouts only detect deadlocks; nothing here asserts that anything was fast.
 */
class KeyedSerialSchedulerStressTest {

  /** Generous: only a scheduler that lost or deadlocked tasks gets anywhere near it. */
  private static final long DEADLOCK_SECONDS = 30;

  /** Settling takes a release or two on the pool: look often. */
  private static final Duration SETTLE_POLL = Duration.ofMillis(1);

  /** Upper bound of the random delay before a task completes on the pool, to vary interleavings. */
  private static final long MAX_JITTER_NANOS = 50_000;

  private ExecutorService pool;
  private final Queue<String> errors = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void startPool() {
    pool = Executors.newFixedThreadPool(4);
  }

  @AfterEach
  void stopPool() throws InterruptedException {
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(DEADLOCK_SECONDS, TimeUnit.SECONDS));
  }

  @RepeatedTest(20)
  void sameKeyTasksRunOneAtATimeInSubmissionOrder(RepetitionInfo rep) throws Exception {
    int keys = 50;
    int tasks = 2000;
    KeyedSerialScheduler s = scheduler(8, rep);
    AtomicInteger[] keyRunning = counters(keys);
    List<List<Integer>> submitted = new ArrayList<>();
    List<List<Integer>> started = new ArrayList<>();
    for (int k = 0; k < keys; k++) {
      submitted.add(new ArrayList<>());
      started.add(Collections.synchronizedList(new ArrayList<>()));
    }
    AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
    CountDownLatch done = new CountDownLatch(tasks);
    for (int i = 0; i < tasks; i++) {
      int id = i;
      int k = ThreadLocalRandom.current().nextInt(keys);
      submitted.get(k).add(id);
      s.submit(
          List.of("key-" + k),
          () -> {
            runs.incrementAndGet(id);
            started.get(k).add(id);
            enter(keyRunning[k], "key-" + k);
            return finishLater(id % 10 == 0, () -> keyRunning[k].decrementAndGet(), done, false);
          });
    }
    await(done);
    awaitIdle(s);
    assertNoErrors();
    assertEquals(submitted, started, "per-key start order must equal submission order");
    assertRanOnce(runs);
  }

  @RepeatedTest(20)
  void neverMoreThanConcurrencyRunning(RepetitionInfo rep) throws Exception {
    int concurrency = 4;
    int perSubmitter = 750;
    KeyedSerialScheduler s = scheduler(concurrency, rep);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger max = new AtomicInteger();
    AtomicIntegerArray runs = new AtomicIntegerArray(2 * perSubmitter);
    CountDownLatch done = new CountDownLatch(2 * perSubmitter);
    Runnable[] submitters = new Runnable[2];
    for (int t = 0; t < 2; t++) {
      int base = t * perSubmitter;
      submitters[t] =
          () -> {
            for (int i = 0; i < perSubmitter; i++) {
              int id = base + i;
              // A third of the tasks have no key; the rest spread over 200 keys.
              List<Object> keys = id % 3 == 0 ? List.of() : List.of(id % 200);
              s.submit(
                  keys,
                  () -> {
                    runs.incrementAndGet(id);
                    int now = running.incrementAndGet();
                    max.accumulateAndGet(now, Math::max);
                    if (now > concurrency) {
                      errors.add(now + " running with concurrency " + concurrency);
                    }
                    return finishLater(id % 7 == 0, running::decrementAndGet, done, false);
                  });
            }
          };
    }
    runConcurrently(submitters);
    await(done);
    awaitIdle(s);
    assertNoErrors();
    assertTrue(max.get() <= concurrency && max.get() >= 1, "max running " + max.get());
    assertRanOnce(runs);
  }

  @RepeatedTest(5)
  void busyKeyDoesNotBlockOtherKeys(RepetitionInfo rep) throws Exception {
    KeyedSerialScheduler s = scheduler(10, rep);
    BlockingQueue<CompletableFuture<Void>> hotPending = new LinkedBlockingQueue<>();
    List<Integer> hotStarts = Collections.synchronizedList(new ArrayList<>());
    Queue<String> completions = new ConcurrentLinkedQueue<>();
    CountDownLatch othersDone = new CountDownLatch(500);
    for (int i = 0; i < 500; i++) {
      int id = i;
      s.submit(
          List.of("hot"),
          () -> {
            hotStarts.add(id);
            CompletableFuture<Void> f = new CompletableFuture<>();
            hotPending.add(f);
            return f;
          });
      s.submit(
          List.of("other-" + (i % 100)),
          () -> finishLater(false, () -> completions.add("other"), othersDone, false));
    }
    // A scheduler that let the 499 queued hot tasks hold slots would never get here.
    await(othersDone);
    awaitCondition(() -> s.waiting() == 499 && s.running() == 1, s);
    assertEquals(List.of(0), hotStarts, "only the first hot task may have started");
    assertEquals(0, s.readyWaiting());
    assertEquals(1, s.activeKeys());

    for (int i = 0; i < 500; i++) {
      CompletableFuture<Void> f = hotPending.poll(DEADLOCK_SECONDS, TimeUnit.SECONDS);
      if (f == null) {
        fail("hot task " + i + " never started: " + s);
      }
      completions.add("hot");
      f.complete(null); // starts the next hot task on this thread
    }
    awaitIdle(s);
    List<String> events = new ArrayList<>(completions);
    assertEquals(1000, events.size());
    assertEquals(500, events.indexOf("hot"), "every other key finished before the first hot task");
    assertEquals(500, hotStarts.size());
    for (int i = 0; i < 500; i++) {
      assertEquals(i, hotStarts.get(i));
    }
  }

  @RepeatedTest(20)
  void multiKeyTasksNeverOverlapAndNeverDeadlockEvenWhenFailing(RepetitionInfo rep)
      throws Exception {
    int perSubmitter = 1000;
    KeyedSerialScheduler s = scheduler(6, rep);
    ConcurrentHashMap<Object, AtomicInteger> keyRunning = new ConcurrentHashMap<>();
    AtomicIntegerArray runs = new AtomicIntegerArray(2 * perSubmitter);
    CountDownLatch done = new CountDownLatch(2 * perSubmitter);
    Runnable[] submitters = new Runnable[2];
    for (int t = 0; t < 2; t++) {
      int base = t * perSubmitter;
      submitters[t] =
          () -> {
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            for (int i = 0; i < perSubmitter; i++) {
              int id = base + i;
              long user = 1 + rnd.nextInt(15);
              // 40% private chats (chat id == user id, a duplicate key), else one of 5 groups.
              long chat = rnd.nextInt(10) < 4 ? user : -1 - rnd.nextInt(5);
              List<Object> keys = List.of(chat, user);
              int roll = rnd.nextInt(100);
              s.submit(
                  keys,
                  () -> {
                    runs.incrementAndGet(id);
                    List<AtomicInteger> held = new ArrayList<>();
                    for (Object k : keys) {
                      AtomicInteger c = keyRunning.computeIfAbsent(k, x -> new AtomicInteger());
                      if (!held.contains(c)) {
                        held.add(c);
                        enter(c, k);
                      }
                    }
                    Runnable leave = () -> held.forEach(AtomicInteger::decrementAndGet);
                    if (roll < 5) {
                      leave.run();
                      done.countDown();
                      throw new IllegalStateException("start() failed on purpose");
                    }
                    return finishLater(roll < 15, leave, done, roll >= 80);
                  });
            }
          };
    }
    runConcurrently(submitters);
    await(done);
    awaitIdle(s);
    assertNoErrors();
    assertRanOnce(runs);
  }

  /**
   * Finishes a started task: synchronously, or on the pool after a random delay of up to 50 µs. The
   * bookkeeping ({@code leave}) runs before the stage completes, because completing it may start
   * the next task.
   */
  private CompletableFuture<Void> finishLater(
      boolean sync, Runnable leave, CountDownLatch done, boolean failing) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    Runnable finish =
        () -> {
          leave.run();
          done.countDown();
          if (failing) {
            f.completeExceptionally(new IllegalStateException("failed on purpose"));
          } else {
            f.complete(null);
          }
        };
    if (sync) {
      finish.run();
    } else {
      pool.execute(
          () -> {
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(MAX_JITTER_NANOS));
            finish.run();
          });
    }
    return f;
  }

  /**
   * One stripe (every key shares one lock), two (keys meet on some stripes and not on others) and
   * the default, in turn over the repetitions.
   */
  private static KeyedSerialScheduler scheduler(int concurrency, RepetitionInfo rep) {
    int[] stripes = {1, 2, KeyedSerialScheduler.DEFAULT_STRIPES};
    return new KeyedSerialScheduler(concurrency, stripes[rep.getCurrentRepetition() % 3]);
  }

  private void enter(AtomicInteger keyRunning, Object key) {
    int now = keyRunning.incrementAndGet();
    if (now != 1) {
      errors.add(now + " tasks running at once on key " + key);
    }
  }

  private void assertNoErrors() {
    assertTrue(errors.isEmpty(), () -> errors.size() + " violations, e.g. " + errors.peek());
  }

  private static AtomicInteger[] counters(int n) {
    AtomicInteger[] a = new AtomicInteger[n];
    for (int i = 0; i < n; i++) {
      a[i] = new AtomicInteger();
    }
    return a;
  }

  private static void assertRanOnce(AtomicIntegerArray runs) {
    for (int i = 0; i < runs.length(); i++) {
      assertEquals(1, runs.get(i), "task " + i + " start count");
    }
  }

  private static void runConcurrently(Runnable[] jobs) throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    for (Runnable job : jobs) {
      Thread th = new Thread(job, "submitter");
      th.setUncaughtExceptionHandler((x, e) -> failures.add(e));
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join(TimeUnit.SECONDS.toMillis(DEADLOCK_SECONDS));
      assertTrue(!th.isAlive(), "submitter stuck");
    }
    assertTrue(failures.isEmpty(), () -> "submitter threw " + failures.peek());
  }

  private static void await(CountDownLatch latch) throws InterruptedException {
    assertTrue(
        latch.await(DEADLOCK_SECONDS, TimeUnit.SECONDS),
        () -> "deadlock? " + latch.getCount() + " tasks never finished");
  }

  /** The last release may still be running on a pool thread after the task counted down. */
  private static void awaitIdle(KeyedSerialScheduler s) {
    awaitCondition(() -> s.running() == 0 && s.waiting() == 0, s);
    KeyedSerialSchedulerTest.assertIdle(s);
  }

  /** Waits for {@code c}; fails with the scheduler's state if it never comes true. */
  private static void awaitCondition(BooleanSupplier c, KeyedSerialScheduler s) {
    Awaitility.await()
        .atMost(DEADLOCK_SECONDS, TimeUnit.SECONDS)
        .pollDelay(Duration.ZERO)
        .pollInterval(SETTLE_POLL)
        .untilAsserted(() -> assertTrue(c.getAsBoolean(), () -> "scheduler never settled: " + s));
  }
}
