package dev.botrunner.internal.dispatch;

import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

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
 * free to start but find no slot wait in a FIFO ready queue. (Two completions racing on different
 * threads may let a task freed by one of them take a slot just before a task queued an instant
 * earlier; nothing else reorders the ready queue.)
 *
 * <p>The key queues are spread over lock stripes ({@link KeyStripe}) by the keys' hashes, and the
 * slots are an atomic counter, so threads that submit or complete tasks on different keys rarely
 * wait for each other.
 *
 * <p><b>Why multi-key tasks cannot deadlock.</b> A submission is appended to all of its key queues
 * while it holds the locks of all their stripes (taken in stripe order, so submissions cannot
 * deadlock on the locks either). Two submissions that share a key both need that key's stripe, so
 * one of them appends to all of its queues before the other appends to any: they appear in the same
 * relative order in every queue they share. "Waits behind" therefore always points from a younger
 * task to an older one and can never form a cycle. In particular the oldest task that has not
 * started has only running tasks ahead of it in its queues; once those complete it heads all of its
 * queues and becomes ready, and ready tasks take slots in FIFO order as running tasks complete.
 *
 * <p>This class is thread-safe. {@link Task#start()} is never called while a lock is held, and
 * tasks may complete synchronously: starts caused by a completion that happens inside a {@code
 * start()} are run by the outermost start loop of that thread rather than recursively, so long
 * chains of synchronously completing tasks use constant stack depth.
 */
public final class KeyedSerialScheduler {

  private static final Logger LOG = Logger.getLogger(KeyedSerialScheduler.class);

  /** A unit of asynchronous work started by the scheduler. */
  public interface Task {

    /**
     * Starts the work. Called at most once, never under the scheduler's lock.
     *
     * <p>The task keeps its keys and its slot until the returned stage completes, normally or
     * exceptionally. Throwing, or returning {@code null}, counts as an immediate exceptional
     * completion; the scheduler logs the exception (at ERROR, since it is a bug in the task) and
     * does not pass it on, so tasks that care must report their own failures.
     *
     * @return a stage that completes when the work is done
     */
    CompletionStage<?> start();
  }

  /**
   * Stripes of key queues. With 1,000 chats spread over 64, two threads that work on different
   * chats meet on a lock about once in 64 operations.
   */
  static final int DEFAULT_STRIPES = 64;

  private final int concurrency;
  private final KeyStripe[] stripes;
  private final int stripeMask;
  private final Slots slots;

  /**
   * Creates a scheduler.
   *
   * @param concurrency maximum number of tasks running at once; at least 1
   * @throws IllegalArgumentException if {@code concurrency < 1}
   */
  public KeyedSerialScheduler(int concurrency) {
    this(concurrency, DEFAULT_STRIPES);
  }

  /** With a given number of stripes (a power of two), so tests can force keys to share one. */
  KeyedSerialScheduler(int concurrency, int stripeCount) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
    }
    if (stripeCount < 1 || Integer.bitCount(stripeCount) != 1) {
      throw new IllegalArgumentException("stripes must be a power of two, was " + stripeCount);
    }
    this.concurrency = concurrency;
    this.stripes = new KeyStripe[stripeCount];
    for (int i = 0; i < stripeCount; i++) {
      stripes[i] = new KeyStripe(i);
    }
    this.stripeMask = stripeCount - 1;
    this.slots = new Slots(concurrency);
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
    slots.submitted();
    if (!enqueue(e)) {
      return; // behind another task on some key: the last of those to complete frees it
    }
    ScheduledTask chain = slots.admit(e);
    if (chain != null) {
      StartLoop.launch(chain);
    }
  }

  /** Returns the maximum number of tasks running at once. */
  public int concurrency() {
    return concurrency;
  }

  /** Returns the number of tasks started and not yet completed. */
  public int running() {
    return slots.running();
  }

  /** Returns the number of tasks submitted and not yet started (waiting on a key or a slot). */
  public int waiting() {
    return Math.max(0, slots.pending() - slots.running());
  }

  /**
   * Returns the number of tasks submitted and not yet completed. Unlike {@code running() +
   * waiting()}, it never misses a task that moves from waiting to running between the two reads.
   */
  public int pending() {
    return slots.pending();
  }

  /** Returns the number of tasks first in line on all their keys that wait only for a slot. */
  public int readyWaiting() {
    return slots.readyCount();
  }

  /**
   * Returns {@code concurrency() - running() - readyWaiting()}, never negative: how many more
   * independent tasks could start right now. Tasks waiting behind a key are not subtracted, since
   * they hold no slot.
   */
  public int freeSlots() {
    return Math.max(0, concurrency - running() - readyWaiting());
  }

  /** Returns the number of keys with at least one queued or running task. */
  public int activeKeys() {
    int n = 0;
    for (KeyStripe s : stripes) {
      n += s.keyCount();
    }
    return n;
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

  private KeyStripe stripeOf(Object key) {
    // Chat ids are often close together or share low bits; the multiply spreads them.
    int h = key.hashCode() * 0x9E3779B9;
    return stripes[(h ^ (h >>> 16)) & stripeMask];
  }

  /**
   * Appends a new task to all its key queues, holding all their stripes at once.
   *
   * @return whether it is first in line on every key (and needs only a slot)
   */
  private boolean enqueue(ScheduledTask e) {
    Object[] keys = e.keys;
    if (keys.length == 0) {
      return true;
    }
    if (keys.length == 1) {
      KeyStripe s = stripeOf(keys[0]);
      s.lock();
      try {
        e.blockers = s.append(keys[0], e) ? 1 : 0;
        return e.blockers == 0;
      } finally {
        s.unlock();
      }
    }
    if (keys.length == 2) {
      return enqueuePair(e, keys[0], keys[1]);
    }
    KeyStripe[] locked = stripesInLockOrder(keys);
    for (KeyStripe s : locked) {
      s.lock();
    }
    try {
      int blockers = 0;
      for (Object key : keys) {
        if (stripeOf(key).append(key, e)) {
          blockers++;
        }
      }
      e.blockers = blockers;
      return blockers == 0;
    } finally {
      for (int i = locked.length - 1; i >= 0; i--) {
        locked[i].unlock();
      }
    }
  }

  /** {@link #enqueue} for the usual multi-key case, chat and user, without an array of stripes. */
  private boolean enqueuePair(ScheduledTask e, Object k0, Object k1) {
    KeyStripe s0 = stripeOf(k0);
    KeyStripe s1 = stripeOf(k1);
    KeyStripe first = s0.index <= s1.index ? s0 : s1;
    KeyStripe second = first == s0 ? s1 : s0;
    first.lock();
    if (second != first) {
      second.lock();
    }
    try {
      int blockers = (s0.append(k0, e) ? 1 : 0) + (s1.append(k1, e) ? 1 : 0);
      e.blockers = blockers;
      return blockers == 0;
    } finally {
      if (second != first) {
        second.unlock();
      }
      first.unlock();
    }
  }

  /** The distinct stripes of {@code keys}, ascending: the order in which they are locked. */
  private KeyStripe[] stripesInLockOrder(Object[] keys) {
    KeyStripe[] order = new KeyStripe[keys.length];
    int n = 0;
    for (Object key : keys) {
      KeyStripe s = stripeOf(key);
      int i = n;
      while (i > 0 && order[i - 1].index > s.index) {
        i--;
      }
      if (i > 0 && order[i - 1] == s) {
        continue;
      }
      System.arraycopy(order, i, order, i + 1, n - i);
      order[i] = s;
      n++;
    }
    return n == order.length ? order : Arrays.copyOf(order, n);
  }

  /**
   * Releases a completed task's keys and slot. Returns the tasks that may start now, linked through
   * {@link ScheduledTask#next}, with their slots already taken; or {@code null}.
   */
  ScheduledTask release(ScheduledTask e) {
    if (!e.markDone()) {
      return null; // a misbehaving stage reported completion twice
    }
    ScheduledTask unblocked = null;
    ScheduledTask unblockedTail = null;
    for (Object key : e.keys) {
      KeyStripe s = stripeOf(key);
      ScheduledTask next;
      s.lock();
      try {
        next = s.removeHead(key);
      } finally {
        s.unlock();
      }
      if (next != null && next.unblock()) {
        if (unblocked == null) {
          unblocked = next;
        } else {
          unblockedTail.next = next;
        }
        unblockedTail = next;
      }
    }
    return slots.release(unblocked);
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
      // Counts as an exceptional completion and must not reach the thread that happens to start
      // the task, but a task that throws instead of failing its stage has a bug worth seeing.
      LOG.error("a scheduled task threw from start(); its keys and slot are released", ex);
      stage = null;
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
      LOG.error("a scheduled task's stage refused a completion callback; task released", ex);
      loop.append(release(e)); // harmless if the callback fires too: release() is idempotent
    }
  }
}
