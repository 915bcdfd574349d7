package dev.botrunner.internal.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Deterministic tests of {@link KeyedSerialScheduler} whose keys fall on one stripe, on some shared
 * and some separate stripes, or on the default number of stripes.
 */
class KeyedSerialSchedulerStripesTest {

  @Test
  void rejectsAStripeCountThatIsNotAPowerOfTwo() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new KeyedSerialScheduler(4, 3));
    assertTrue(e.getMessage().contains("stripes"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new KeyedSerialScheduler(4, 0));
    assertEquals(4, new KeyedSerialScheduler(4, 1).concurrency());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, KeyedSerialScheduler.DEFAULT_STRIPES})
  void multiKeyTasksWaitForEveryKeyWhereverTheKeysLive(int stripes) {
    KeyedSerialScheduler s = new KeyedSerialScheduler(10, stripes);
    List<Object> starts = new ArrayList<>();
    HeldTask ab = new HeldTask("ab", starts);
    HeldTask bc = new HeldTask("bc", starts);
    HeldTask c = new HeldTask("c", starts);
    HeldTask a = new HeldTask("a", starts);
    HeldTask d = new HeldTask("d", starts);
    s.submit(List.of(1L, 2L), ab);
    s.submit(List.of(2L, 3L), bc); // behind ab on 2
    s.submit(List.of(3L), c); // behind bc on 3
    s.submit(List.of(1L), a); // behind ab on 1
    s.submit(List.of(4L), d); // free
    assertEquals(List.of("ab", "d"), starts);
    assertEquals(2, s.running());
    assertEquals(3, s.waiting());
    assertEquals(5, s.pending());
    assertEquals(4, s.activeKeys());

    ab.succeed(); // frees a (first on 1) and bc (first on 2 and 3), in the order of ab's keys
    assertEquals(List.of("ab", "d", "a", "bc"), starts);
    assertFalse(c.started(), "c is still behind bc on key 3");
    assertEquals(3, s.running());
    assertEquals(1, s.waiting());

    bc.succeed();
    assertTrue(c.started());
    a.succeed();
    c.succeed();
    d.succeed();
    assertEquals(0, s.pending());
    KeyedSerialSchedulerTest.assertIdle(s);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, KeyedSerialScheduler.DEFAULT_STRIPES})
  void readyTasksTakeFreedSlotsInTheOrderTheyBecameReady(int stripes) {
    KeyedSerialScheduler s = new KeyedSerialScheduler(1, stripes);
    List<Object> starts = new ArrayList<>();
    HeldTask first = new HeldTask("first", starts);
    HeldTask x = new HeldTask("x", starts);
    HeldTask y = new HeldTask("y", starts);
    HeldTask behindFirst = new HeldTask("behindFirst", starts);
    s.submit(List.of(10L), first);
    s.submit(List.of(11L), x); // ready, no slot
    s.submit(List.of(12L), y); // ready, no slot
    s.submit(List.of(10L, 13L), behindFirst); // behind first on 10
    assertEquals(2, s.readyWaiting());
    assertEquals(0, s.freeSlots());

    first.succeed(); // behindFirst becomes ready after x and y: the slot goes to x
    assertEquals(List.of("first", "x"), starts);
    assertEquals(2, s.readyWaiting());
    x.succeed();
    y.succeed();
    assertEquals(List.of("first", "x", "y", "behindFirst"), starts);
    behindFirst.succeed();
    KeyedSerialSchedulerTest.assertIdle(s);
  }

  @Test
  void aSlotKeptByAThreadThatWentIdleStillServesTheNextTask() throws Exception {
    KeyedSerialScheduler s = new KeyedSerialScheduler(1);
    HeldTask first = new HeldTask("first");
    s.submit(List.of(1L), first);
    // Completed on a thread that then ends: it keeps the freed slot, since nobody waited for it.
    Thread other = new Thread(first::succeed);
    other.start();
    other.join();
    assertEquals(0, s.running());

    HeldTask second = new HeldTask("second");
    s.submit(List.of(2L), second);
    assertTrue(second.started(), "the kept slot was swept back when the task found none free");
    HeldTask third = new HeldTask("third");
    s.submit(List.of(3L), third);
    assertFalse(third.started(), "still one slot");
    second.succeed();
    assertTrue(third.started());
    third.succeed();
    KeyedSerialSchedulerTest.assertIdle(s);
  }
}
