package dev.botrunner.internal.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.internal.logging.LogCapture;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Deterministic, single-threaded tests of {@link KeyedSerialScheduler}. */
class KeyedSerialSchedulerTest {

  @Test
  void rejectsConcurrencyBelowOne() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new KeyedSerialScheduler(0));
    assertTrue(e.getMessage().contains("concurrency"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new KeyedSerialScheduler(-3));
    assertEquals(1, new KeyedSerialScheduler(1).concurrency());
  }

  @Test
  void exactlyConcurrencyIndependentTasksStartBeforeAnyCompletes() {
    int n = 5;
    int m = 7;
    KeyedSerialScheduler s = new KeyedSerialScheduler(n);
    List<Object> starts = new ArrayList<>();
    List<HeldTask> tasks = new ArrayList<>();
    for (int i = 0; i < n + m; i++) {
      HeldTask t = new HeldTask(i, starts);
      tasks.add(t);
      // Alternate distinct keys and no keys: both only need a slot.
      s.submit(i % 2 == 0 ? List.of("k" + i) : List.of(), t);
    }
    assertEquals(List.of(0, 1, 2, 3, 4), starts);
    assertEquals(n, s.running());
    assertEquals(m, s.waiting());
    assertEquals(m, s.readyWaiting());
    assertEquals(0, s.freeSlots());

    tasks.get(2).succeed();
    assertEquals(List.of(0, 1, 2, 3, 4, 5), starts, "one completion frees exactly one slot, FIFO");
    assertEquals(n, s.running());
    assertEquals(m - 1, s.readyWaiting());

    for (HeldTask t : tasks) {
      t.succeed(); // completing an already-completed future is a no-op
    }
    assertEquals(n + m, starts.size());
    assertIdle(s);
  }

  @Test
  void failedTaskReleasesItsKeyOnlyWhenItCompletes() {
    KeyedSerialScheduler s = new KeyedSerialScheduler(4);
    HeldTask first = new HeldTask("first");
    HeldTask second = new HeldTask("second");
    s.submit(List.of("k"), first);
    s.submit(List.of("k"), second);
    assertTrue(first.started());
    assertFalse(second.started(), "must not overlap with the failing task while it runs");
    first.fail();
    assertTrue(second.started());
    second.fail();
    assertIdle(s);
  }

  @Test
  void throwingStartCountsAsCompletionAndDoesNotReachTheSubmitter() {
    KeyedSerialScheduler s = new KeyedSerialScheduler(1);
    HeldTask blocker = new HeldTask("blocker");
    HeldTask after = new HeldTask("after");
    s.submit(List.of("k"), blocker);
    s.submit(
        List.of("k"),
        () -> {
          throw new IllegalStateException("boom");
        });
    s.submit(List.of("k"), () -> null); // a null stage is released too
    s.submit(List.of("k"), after);
    assertFalse(after.started());
    blocker.succeed(); // the throwing task starts on this thread: nothing may escape to us
    assertTrue(after.started());
    after.succeed();
    assertIdle(s);
    s.submit(
        List.of("k"),
        () -> {
          throw new IllegalStateException("boom at submit");
        });
    assertIdle(s);
  }

  @Test
  void aTaskThatThrowsFromStartIsLoggedWithItsException() {
    KeyedSerialScheduler s = new KeyedSerialScheduler(1);
    try (LogCapture log = new LogCapture()) {
      s.submit(
          List.of("k"),
          () -> {
            throw new IllegalStateException("boom from a buggy task");
          });
      assertIdle(s);
      assertTrue(
          log.lines().stream()
              .anyMatch(
                  line ->
                      line.startsWith("ERROR " + KeyedSerialScheduler.class.getName())
                          && line.contains("threw from start()")
                          && line.contains("boom from a buggy task")),
          log.lines().toString());
    }
  }

  @Test
  void duplicateKeysInOneSubmissionDoNotDeadlock() {
    KeyedSerialScheduler s = new KeyedSerialScheduler(2);
    HeldTask dup = new HeldTask("dup");
    s.submit(Arrays.asList("a", "a", null, "b"), dup);
    assertTrue(dup.started());
    assertEquals(2, s.activeKeys());

    // Equal but distinct Long instances, like a private chat whose chat id equals the user id.
    HeldTask sameChatAndUser = new HeldTask("same");
    s.submit(List.of(Long.valueOf(123_456_789L), Long.valueOf(123_456_789L)), sameChatAndUser);
    assertTrue(sameChatAndUser.started());
    assertEquals(3, s.activeKeys());

    // More keys than the linear scan handles, with duplicates, sharing "a" with dup.
    List<Object> many = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      many.add("m" + (i % 7));
    }
    many.add("a");
    HeldTask wide = new HeldTask("wide");
    s.submit(many, wide);
    assertFalse(wide.started(), "waits behind dup on key a");
    assertEquals(10, s.activeKeys()); // a, b, the Long, m0..m6
    dup.succeed();
    assertTrue(wide.started());
    assertEquals(9, s.activeKeys()); // b dropped
    sameChatAndUser.succeed();
    wide.succeed();
    assertIdle(s);

    HeldTask onlyNulls = new HeldTask("nulls");
    s.submit(Arrays.asList(null, null), onlyNulls);
    assertTrue(onlyNulls.started());
    assertEquals(0, s.activeKeys());
    onlyNulls.succeed();
    assertIdle(s);
  }

  @Test
  void emptyKeySetsNeedOnlyASlot() {
    KeyedSerialScheduler s = new KeyedSerialScheduler(3);
    HeldTask keyed = new HeldTask("keyed");
    s.submit(List.of("x"), keyed);
    List<HeldTask> unordered = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      HeldTask t = new HeldTask(i);
      unordered.add(t);
      s.submit(Collections.emptySet(), t);
    }
    assertTrue(unordered.get(0).started(), "not ordered behind key x");
    assertTrue(unordered.get(1).started());
    assertFalse(unordered.get(2).started(), "slot limit still applies");
    assertEquals(3, s.readyWaiting());
    keyed.succeed();
    assertTrue(unordered.get(2).started());
    unordered.forEach(HeldTask::succeed);
    assertTrue(unordered.stream().allMatch(t -> t.starts() == 1));
    assertIdle(s);
  }

  @Test
  void freeSlotsDoesNotCountTasksWaitingOnAKey() {
    KeyedSerialScheduler s = new KeyedSerialScheduler(5);
    List<Object> starts = new ArrayList<>();
    HeldTask k1 = new HeldTask("k1", starts);
    HeldTask k2 = new HeldTask("k2", starts);
    HeldTask k3 = new HeldTask("k3", starts);
    s.submit(List.of("k"), k1);
    s.submit(List.of("k"), k2);
    s.submit(List.of("k"), k3);
    assertEquals(1, s.running());
    assertEquals(2, s.waiting());
    assertEquals(0, s.readyWaiting());
    assertEquals(4, s.freeSlots());
    assertEquals(1, s.activeKeys());

    List<HeldTask> others = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      HeldTask t = new HeldTask("o" + i, starts);
      others.add(t);
      s.submit(List.of("o" + i), t);
    }
    assertEquals(5, s.running());
    assertEquals(3, s.readyWaiting(), "o4, o5, o6 wait only for a slot");
    assertEquals(5, s.waiting());
    assertEquals(0, s.freeSlots(), "clamped at zero");
    assertEquals(8, s.activeKeys());

    others.get(0).succeed();
    assertEquals("o4", starts.get(starts.size() - 1));
    assertEquals(2, s.readyWaiting());

    k1.succeed(); // k2 becomes ready behind o5 and o6; the freed slot goes to o5 (FIFO)
    assertEquals("o5", starts.get(starts.size() - 1));
    assertFalse(k2.started());
    assertEquals(2, s.readyWaiting());
    assertEquals(3, s.waiting()); // o6, k2, k3

    others.forEach(HeldTask::succeed);
    assertTrue(k2.started());
    assertEquals(1, s.running());
    assertEquals(1, s.waiting());
    assertEquals(4, s.freeSlots());
    k2.succeed();
    k3.succeed();
    assertIdle(s);
  }

  @Test
  void idleKeysAreDropped() {
    KeyedSerialScheduler s = new KeyedSerialScheduler(16);
    CompletableFuture<?>[] pending = new CompletableFuture<?>[100_000];
    AtomicInteger next = new AtomicInteger();
    for (int i = 0; i < 100_000; i++) {
      s.submit(
          List.of("key-" + i),
          () -> {
            CompletableFuture<Void> f = new CompletableFuture<>();
            pending[next.getAndIncrement()] = f;
            return f;
          });
    }
    assertEquals(100_000, s.activeKeys());
    assertEquals(16, s.running());
    // Each completion starts the next task on this thread, which appends its future to pending.
    for (int i = 0; i < pending.length; i++) {
      if (i % 5 == 0) {
        pending[i].completeExceptionally(new RuntimeException("fail " + i));
      } else {
        pending[i].complete(null);
      }
    }
    assertEquals(100_000, next.get());
    assertIdle(s);
  }

  @Test
  void synchronousCompletionsDoNotGrowTheStack() {
    // Fast path (already-completed CompletableFuture) and callback path (a completed stage that is
    // not a plain CompletableFuture, whose whenComplete runs the callback inline).
    runSynchronousChain(() -> CompletableFuture.completedFuture(null));
    runSynchronousChain(() -> CompletableFuture.completedFuture(null).minimalCompletionStage());
    runSynchronousChain(() -> CompletableFuture.failedFuture(new RuntimeException("sync failure")));
  }

  private static void runSynchronousChain(Supplier<CompletionStage<?>> stage) {
    int count = 100_000;
    KeyedSerialScheduler s = new KeyedSerialScheduler(4);
    HeldTask gate = new HeldTask("gate");
    s.submit(List.of("k"), gate);
    int[] order = new int[count];
    AtomicInteger started = new AtomicInteger();
    for (int i = 0; i < count; i++) {
      int id = i;
      s.submit(
          List.of("k"),
          () -> {
            order[started.getAndIncrement()] = id;
            return stage.get();
          });
    }
    assertEquals(0, started.get());
    gate.succeed(); // the whole chain unrolls on this thread
    assertEquals(count, started.get());
    for (int i = 0; i < count; i++) {
      assertEquals(i, order[i]);
    }
    assertIdle(s);
  }

  @Test
  void submitFromInsideStartIsOrderedAfterTheCurrentTask() {
    KeyedSerialScheduler s = new KeyedSerialScheduler(2);
    List<Object> starts = new ArrayList<>();
    HeldTask inner = new HeldTask("inner", starts);
    s.submit(
        List.of("k"),
        () -> {
          starts.add("outer");
          s.submit(List.of("k"), inner);
          starts.add("outer-submitted");
          return CompletableFuture.completedFuture(null);
        });
    assertEquals(List.of("outer", "outer-submitted", "inner"), starts);
    inner.succeed();
    assertIdle(s);
  }

  static void assertIdle(KeyedSerialScheduler s) {
    assertEquals(0, s.running(), s::toString);
    assertEquals(0, s.waiting(), s::toString);
    assertEquals(0, s.pending(), s::toString);
    assertEquals(0, s.readyWaiting(), s::toString);
    assertEquals(0, s.activeKeys(), s::toString);
    assertEquals(s.concurrency(), s.freeSlots(), s::toString);
  }
}
