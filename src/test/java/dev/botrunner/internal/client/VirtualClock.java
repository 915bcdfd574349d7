package dev.botrunner.internal.client;

import java.util.PriorityQueue;
import java.util.function.LongSupplier;

/** A clock and timer that only move when the test says so. */
final class VirtualClock implements LongSupplier, Throttle.Scheduler {

  private record Task(long at, long seq, Runnable run) {}

  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>(
          (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
  private long now = 1_000_000_000_000L;
  private long seq;

  @Override
  public synchronized long getAsLong() {
    return now;
  }

  @Override
  public synchronized void schedule(long delayNanos, Runnable task) {
    tasks.add(new Task(now + Math.max(0, delayNanos), seq++, task));
  }

  /**
   * Runs every task due up to {@code nanos} from now, in time order, moving the clock with them.
   */
  void advance(long nanos) {
    long end;
    synchronized (this) {
      end = now + nanos;
    }
    while (true) {
      Task next;
      synchronized (this) {
        if (tasks.isEmpty() || tasks.peek().at > end) {
          now = end;
          return;
        }
        next = tasks.poll();
        now = next.at;
      }
      next.run.run();
    }
  }

  synchronized int pendingTasks() {
    return tasks.size();
  }
}
