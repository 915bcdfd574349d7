package dev.botrunner.dispatch;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs asynchronous tasks with per-key ordering and a global concurrency limit.
 *
 * <p>Each task carries a set of keys (for a Telegram update, typically its chat and its user).
 * Tasks that share a key start in submission order and never overlap: a task starts only once the
 * previous task on each of its keys has completed. Independent tasks run in parallel, up to {@link
 * #concurrency()} at a time.
 *
 * <p>Unlike grammY's {@code sequentialize()}, the global limit counts running tasks only: a task
 * queued behind a busy key holds no slot, so one busy chat never starves the others. Tasks that are
 * free to start but find no slot wait in a FIFO ready queue.
 *
 * <p><b>Why multi-key tasks cannot deadlock.</b> A submission is appended to all of its key queues
 * under one lock, so any two tasks that share keys appear in the same relative order (submission
 * order) in every queue they share. "Waits behind" therefore always points from a younger task to
 * an older one and can never form a cycle. In particular the oldest task that has not started has
 * only running tasks ahead of it in its queues; once those complete it heads all of its queues and
 * becomes ready, and ready tasks take slots in FIFO order as running tasks complete.
 *
 * <p>This class is thread-safe. {@link Task#start()} is never called while the internal lock is
 * held, and tasks may complete synchronously: starts caused by a completion that happens inside a
 * {@code start()} are run by the outermost start loop of that thread rather than recursively, so
 * long chains of synchronously completing tasks use constant stack depth.
 */
public final class KeyedSerialScheduler {

  /** A unit of asynchronous work started by the scheduler. */
  public interface Task {

    /**
     * Starts the work. Called at most once, never under the scheduler's lock.
     *
     * <p>The task keeps its keys and its slot until the returned stage completes, normally or
     * exceptionally. Throwing, or returning {@code null}, counts as an immediate exceptional
     * completion; the scheduler swallows the exception, so tasks that care must report their own
     * failures.
     *
     * @return a stage that completes when the work is done
     */
    CompletionStage<?> start();
  }

  /** Enough spare queues to absorb the churn of keys going idle and coming back under load. */
  private static final int MAX_SPARE_QUEUES = 256;

  private static final VarHandle PUB_RUNNING;
  private static final VarHandle PUB_WAITING;
  private static final VarHandle PUB_READY;
  private static final VarHandle PUB_KEYS;
  private static final VarHandle PUB_FREE;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      PUB_RUNNING = l.findVarHandle(KeyedSerialScheduler.class, "pubRunning", int.class);
      PUB_WAITING = l.findVarHandle(KeyedSerialScheduler.class, "pubWaiting", int.class);
      PUB_READY = l.findVarHandle(KeyedSerialScheduler.class, "pubReady", int.class);
      PUB_KEYS = l.findVarHandle(KeyedSerialScheduler.class, "pubKeys", int.class);
      PUB_FREE = l.findVarHandle(KeyedSerialScheduler.class, "pubFree", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final int concurrency;
  private final ReentrantLock lock = new ReentrantLock();

  // Guarded by lock.
  private final HashMap<Object, KeyQueue<ScheduledTask>> queues = new HashMap<>();
  private final ArrayDeque<ScheduledTask> ready = new ArrayDeque<>();
  private final ArrayDeque<KeyQueue<ScheduledTask>> spareQueues = new ArrayDeque<>();
  private int running;
  private int waiting;

  // Snapshots for the lock-free getters, written with release stores at the end of each critical
  // section: a release store is a plain move on x86, unlike a full volatile write.
  private volatile int pubRunning;
  private volatile int pubWaiting;
  private volatile int pubReady;
  private volatile int pubKeys;
  private volatile int pubFree;

  /**
   * Creates a scheduler.
   *
   * @param concurrency maximum number of tasks running at once; at least 1
   * @throws IllegalArgumentException if {@code concurrency < 1}
   */
  public KeyedSerialScheduler(int concurrency) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
    }
    this.concurrency = concurrency;
    this.pubFree = concurrency;
  }

  /**
   * Submits a task. It starts once it is first in line on every one of its keys and a slot is free;
   * this may happen on the calling thread before this method returns.
   *
   * @param keys the task's ordering keys, compared with {@code equals}/{@code hashCode}; {@code
   *     null} elements are ignored and duplicates collapsed; empty means the task only needs a slot
   * @param task the work to run
   * @throws NullPointerException if {@code keys} or {@code task} is null
   */
  public void submit(Collection<?> keys, Task task) {
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(task, "task");
    ScheduledTask e = new ScheduledTask(this, DistinctKeys.of(keys), task);
    boolean startNow = false;
    lock.lock();
    try {
      for (Object key : e.keys) {
        KeyQueue<ScheduledTask> q = queues.get(key);
        if (q == null) {
          q = spareQueues.isEmpty() ? new KeyQueue<>() : spareQueues.pollLast();
          queues.put(key, q);
        } else {
          e.blockers++;
        }
        q.addLast(e);
      }
      if (e.blockers == 0 && running < concurrency) {
        // The ready queue is empty whenever a slot is free, so starting now keeps FIFO fairness.
        running++;
        startNow = true;
      } else {
        waiting++;
        if (e.blockers == 0) {
          ready.addLast(e);
        }
      }
      publish();
    } finally {
      lock.unlock();
    }
    if (startNow) {
      StartLoop.launch(e);
    }
  }

  /** Returns the maximum number of tasks running at once. */
  public int concurrency() {
    return concurrency;
  }

  /** Returns the number of tasks started and not yet completed. */
  public int running() {
    return pubRunning;
  }

  /** Returns the number of tasks submitted and not yet started (waiting on a key or a slot). */
  public int waiting() {
    return pubWaiting;
  }

  /** Returns the number of tasks first in line on all their keys that wait only for a slot. */
  public int readyWaiting() {
    return pubReady;
  }

  /**
   * Returns {@code concurrency() - running() - readyWaiting()}, never negative: how many more
   * independent tasks could start right now. Tasks waiting behind a key are not subtracted, since
   * they hold no slot.
   */
  public int freeSlots() {
    return pubFree;
  }

  /** Returns the number of keys with at least one queued or running task. */
  public int activeKeys() {
    return pubKeys;
  }

  @Override
  public String toString() {
    return "KeyedSerialScheduler[concurrency="
        + concurrency
        + ", running="
        + running()
        + ", waiting="
        + waiting()
        + ", readyWaiting="
        + readyWaiting()
        + ", activeKeys="
        + activeKeys()
        + "]";
  }

  /** Called under the lock after each state change. */
  private void publish() {
    int readyCount = ready.size();
    PUB_RUNNING.setRelease(this, running);
    PUB_WAITING.setRelease(this, waiting);
    PUB_READY.setRelease(this, readyCount);
    PUB_KEYS.setRelease(this, queues.size());
    PUB_FREE.setRelease(this, Math.max(0, concurrency - running - readyCount));
  }

  /**
   * Releases a completed task's keys and slot. Returns the tasks that may start now, linked through
   * {@link ScheduledTask#next}, with their slots already taken; or {@code null}.
   */
  ScheduledTask release(ScheduledTask e) {
    ScheduledTask head = null;
    ScheduledTask tail = null;
    lock.lock();
    try {
      if (e.done) {
        return null; // a misbehaving stage reported completion twice
      }
      e.done = true;
      running--;
      for (Object key : e.keys) {
        KeyQueue<ScheduledTask> q = queues.get(key);
        q.pollFirst(); // always e: a task only runs while it heads all its queues
        ScheduledTask next = q.peekFirst();
        if (next == null) {
          queues.remove(key);
          if (q.recyclable() && spareQueues.size() < MAX_SPARE_QUEUES) {
            spareQueues.addLast(q);
          }
        } else if (--next.blockers == 0) {
          ready.addLast(next);
        }
      }
      while (running < concurrency && !ready.isEmpty()) {
        ScheduledTask r = ready.pollFirst();
        running++;
        waiting--;
        if (head == null) {
          head = r;
        } else {
          tail.next = r;
        }
        tail = r;
      }
      publish();
    } finally {
      lock.unlock();
    }
    return head;
  }

  /**
   * Starts one task whose slot is taken. A synchronous completion is released right here and the
   * tasks it frees are queued on {@code loop}, instead of nesting deeper through the callback.
   */
  void start(ScheduledTask e, StartLoop loop) {
    Task task = e.task;
    e.task = null;
    CompletionStage<?> stage;
    try {
      stage = task.start();
    } catch (Throwable ex) {
      stage = null; // counts as an exceptional completion; never let it reach another thread
    }
    // Exact class only: subclasses such as minimalCompletionStage() throw from isDone().
    if (stage == null
        || (stage.getClass() == CompletableFuture.class
            && ((CompletableFuture<?>) stage).isDone())) {
      loop.append(release(e)); // fast path: no callback allocation
      return;
    }
    try {
      stage.whenComplete(e);
    } catch (Throwable ex) {
      loop.append(release(e)); // harmless if the callback fires too: release() is idempotent
    }
  }
}
