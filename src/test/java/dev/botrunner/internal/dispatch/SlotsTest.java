package dev.botrunner.internal.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link Slots} alone: permits kept by threads that end. */
class SlotsTest {

  private static ScheduledTask task() {
    return new ScheduledTask(null, DistinctKeys.NONE, null);
  }

  @Test
  void slotsKeptByEndedThreadsCountAsFreeAndComeBackWhenNeeded() throws Exception {
    Slots slots = new Slots(4);
    for (int i = 0; i < 100; i++) {
      ScheduledTask e = task();
      assertSame(e, slots.admit(e), "a slot is free for task " + i);
      // Released on a thread that then ends, keeping the freed permit.
      Thread releaser = new Thread(() -> assertNull(slots.release(null)));
      releaser.start();
      releaser.join();
      assertEquals(0, slots.running(), "after task " + i);
    }
    assertEquals(0, slots.pending());
    // Every fifth task found the pool empty and swept the ended threads' permits back.
    assertTrue(slots.cacheCount() <= 4 + 2, () -> slots.cacheCount() + " caches");
  }

  @Test
  void emptyCachesOfEndedThreadsAreForgotten() throws Exception {
    Slots slots = new Slots(4);
    ScheduledTask first = task();
    assertSame(first, slots.admit(first));
    for (int i = 0; i < 100; i++) {
      AtomicReference<ScheduledTask> started = new AtomicReference<>();
      // Completes one task and starts the next on a thread that ends with an empty cache.
      Thread worker =
          new Thread(
              () -> {
                assertNull(slots.release(null));
                ScheduledTask next = task();
                started.set(slots.admit(next));
              });
      worker.start();
      worker.join();
      assertTrue(started.get() != null, "took the permit it had just freed");
      assertEquals(1, slots.running());
    }
    assertTrue(slots.cacheCount() <= 3, () -> slots.cacheCount() + " caches for 1 live thread");
  }
}
