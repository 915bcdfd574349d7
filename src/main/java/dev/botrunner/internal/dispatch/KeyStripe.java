package dev.botrunner.internal.dispatch;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One stripe of a {@link KeyedSerialScheduler}'s key queues: the queues of the keys that hash to
 * it, under a lock of its own.
 *
 * <p>The scheduler had one lock for all keys; on two cores the threads that submit and complete
 * updates then kept waiting for each other (and parking is dear), although two chats rarely share
 * anything. With the keys spread over stripes, two threads meet only when their keys land on the
 * same stripe.
 */
final class KeyStripe {

  /** Enough spare queues to absorb the churn of keys going idle and coming back under load. */
  private static final int MAX_SPARE_QUEUES = 16;

  /**
   * Tries before parking: longer than a stripe is held unless its holder was preempted, and none on
   * one CPU, where the holder cannot run while another thread spins. On this 2-core VM a park and
   * its wake-up left the cores idle for a quarter of a benchmark run at 200 tries; at 2,000 parks
   * became about 25 times rarer (docs/benchmarks-history.md, round 4). Read when the scheduler is
   * built, not in a static initializer, which a native image would run on the build machine.
   */
  private final int spins = Runtime.getRuntime().availableProcessors() > 1 ? 2000 : 0;

  /** Position in the scheduler's stripe array: the order in which stripes are locked together. */
  final int index;

  private final ReentrantLock lock = new ReentrantLock();

  // Guarded by lock.
  private final HashMap<Object, KeyQueue<ScheduledTask>> queues = new HashMap<>();
  private final ArrayDeque<KeyQueue<ScheduledTask>> spareQueues = new ArrayDeque<>();

  KeyStripe(int index) {
    this.index = index;
  }

  /**
   * Takes the lock, spinning briefly before parking. A stripe is held for a few map operations, so
   * a thread that finds it taken usually gets it within a few hundred nanoseconds; being parked and
   * woken again costs far more.
   */
  void lock() {
    if (lock.tryLock()) {
      return;
    }
    for (int i = 0; i < spins; i++) {
      Thread.onSpinWait();
      if (!lock.isLocked() && lock.tryLock()) {
        return;
      }
    }
    lock.lock();
  }

  void unlock() {
    lock.unlock();
  }

  /**
   * Appends {@code task} to the queue of {@code key}. Call with the lock held.
   *
   * @return whether another task is ahead of it on this key
   */
  boolean append(Object key, ScheduledTask task) {
    KeyQueue<ScheduledTask> q = queues.get(key);
    boolean behind = q != null;
    if (q == null) {
      q = spareQueues.isEmpty() ? new KeyQueue<>() : spareQueues.pollLast();
      queues.put(key, q);
    }
    q.addLast(task);
    return behind;
  }

  /**
   * Removes the head of {@code key}'s queue (the task that just completed: a task runs only while
   * it heads all its queues). Call with the lock held.
   *
   * @return the task now first on this key, or {@code null} if the key went idle
   */
  ScheduledTask removeHead(Object key) {
    KeyQueue<ScheduledTask> q = queues.get(key);
    q.pollFirst();
    ScheduledTask next = q.peekFirst();
    if (next == null) {
      queues.remove(key);
      if (q.recyclable() && spareQueues.size() < MAX_SPARE_QUEUES) {
        spareQueues.addLast(q);
      }
    }
    return next;
  }

  /**
   * Returns the number of keys with a queued or running task. Takes the lock: a count kept up to
   * date on every change would be one more write per task to a line the other threads read.
   */
  int keyCount() {
    lock();
    try {
      return queues.size();
    } finally {
      unlock();
    }
  }
}
