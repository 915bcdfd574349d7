package dev.botrunner.internal.dispatch;

import java.lang.ref.WeakReference;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The global concurrency limit of a {@link KeyedSerialScheduler}: its slots, and the FIFO queue of
 * tasks that are first in line on all their keys and wait only for a slot.
 *
 * <p>A slot is a permit: in the shared pool, held by a running task, or parked in the small cache
 * of the thread that released it. The caches are what make two threads cheap: a thread that
 * completes a task and then starts the next one (the common rhythm of an event loop) reuses its own
 * permit instead of bouncing one shared counter between the cores, which cost more than the rest of
 * the scheduler on two threads. Permits are never created or lost, so no more than {@code
 * concurrency} tasks ever run.
 *
 * <p>Cached permits must not sit idle while a task waits for a slot. So a thread caches a permit
 * only while nobody waits, and looks again after caching it; and whoever makes the ready queue
 * non-empty first sweeps every cache back into the pool. Every path that queues a ready task or
 * frees a slot ends in {@link #drain}, which is what keeps a ready task from waiting while a slot
 * is free.
 */
final class Slots {

  /** Permits one thread may keep: enough for complete-then-start, little to strand. */
  private static final int CACHE_LIMIT = 2;

  private final int concurrency;

  /** Permits in the shared pool: neither held by a task nor cached by a thread. */
  private final AtomicInteger pool;

  private final ConcurrentLinkedQueue<Cache> caches = new ConcurrentLinkedQueue<>();
  private final ThreadLocal<Cache> cache = ThreadLocal.withInitial(this::newCache);

  private final LongAdder submitted = new LongAdder();
  private final LongAdder completed = new LongAdder();

  /** Tasks first in line on all their keys that wait for a slot, oldest first. */
  private final ConcurrentLinkedQueue<ScheduledTask> ready = new ConcurrentLinkedQueue<>();

  /** {@code ready}'s size; raised before an add, so it never undercounts the queue. */
  private final AtomicInteger readyCount = new AtomicInteger();

  /** A thread's parked permits; other threads only ever empty it. */
  @SuppressWarnings("serial") // never serialized
  private static final class Cache extends AtomicInteger {
    final WeakReference<Thread> owner = new WeakReference<>(Thread.currentThread());

    boolean ended() {
      Thread t = owner.get();
      return t == null || !t.isAlive();
    }
  }

  Slots(int concurrency) {
    this.concurrency = concurrency;
    this.pool = new AtomicInteger(concurrency);
  }

  /** Tasks started and not yet released (exact when nothing moves; a gauge otherwise). */
  int running() {
    int idle = pool.get();
    for (Cache c : caches) {
      idle += c.get();
    }
    return Math.max(0, Math.min(concurrency, concurrency - idle));
  }

  /** Tasks submitted and not yet completed, never missing one that is in flight. */
  int pending() {
    // Completions are read first: a task that completes between the two reads is still counted.
    long done = completed.sum();
    return (int) Math.max(0, submitted.sum() - done);
  }

  int readyCount() {
    return Math.max(0, readyCount.get());
  }

  /** Counts a submission; call before the task can start or complete. */
  void submitted() {
    submitted.increment();
  }

  /**
   * Gives a new task that heads all its key queues a slot, or queues it for one.
   *
   * @return the tasks to start now (possibly {@code e} alone), or {@code null}
   */
  ScheduledTask admit(ScheduledTask e) {
    // Starting at once only while nobody waits for a slot keeps the ready queue FIFO.
    if (readyCount.get() == 0 && (takeCached() || takeFromPool())) {
      return e;
    }
    return queue(e, null);
  }

  /**
   * Frees the slot of a completed task.
   *
   * @param unblocked the tasks its completion put first in line on all their keys, linked through
   *     {@code next}; or {@code null}
   * @return the tasks to start now, with their slots taken, or {@code null}
   */
  ScheduledTask release(ScheduledTask unblocked) {
    completed.increment();
    if (readyCount.get() == 0) {
      if (unblocked != null) {
        // Nobody waits for a slot: the completed task's permit passes straight to the task it
        // freed.
        ScheduledTask rest = unblocked.next;
        unblocked.next = null;
        return rest == null ? unblocked : queue(rest, unblocked);
      }
      if (cachePermit()) {
        return null;
      }
    } else {
      pool.incrementAndGet();
    }
    if (unblocked != null) {
      return queue(unblocked, null);
    }
    return readyCount.get() == 0 ? null : drain(null);
  }

  private Cache newCache() {
    // Threads come and go (a worker pool's idle threads end): forget the empty caches of those
    // that ended, so the list stays as long as the threads alive. An ended thread's cache that
    // still holds permits waits for a sweep; nothing can add to it any more.
    caches.removeIf(c -> c.ended() && c.get() == 0);
    Cache c = new Cache();
    caches.add(c);
    return c;
  }

  /** The number of thread caches known; for tests. */
  int cacheCount() {
    return caches.size();
  }

  private boolean takeCached() {
    Cache c = cache.get();
    int n = c.get();
    return n > 0 && c.compareAndSet(n, n - 1);
  }

  private boolean takeFromPool() {
    for (; ; ) {
      int n = pool.get();
      if (n == 0) {
        return false;
      }
      if (pool.compareAndSet(n, n - 1)) {
        return true;
      }
    }
  }

  /**
   * Parks a freed permit in this thread's cache, or, when the cache is full, in the pool.
   *
   * @return whether nothing more is needed: false when a task may be waiting for the permit
   */
  private boolean cachePermit() {
    Cache c = cache.get();
    if (c.get() >= CACHE_LIMIT) {
      pool.incrementAndGet();
      return readyCount.get() == 0;
    }
    c.incrementAndGet();
    if (readyCount.get() == 0) {
      return true;
    }
    // A task became ready meanwhile; its sweep may have passed this cache before the permit came.
    pool.addAndGet(c.getAndSet(0));
    return false;
  }

  /** Moves every cached permit to the pool, and forgets the caches of threads that ended. */
  private void sweep() {
    for (Iterator<Cache> it = caches.iterator(); it.hasNext(); ) {
      Cache c = it.next();
      int n = c.getAndSet(0);
      if (n > 0) {
        pool.addAndGet(n);
      }
      if (c.ended()) {
        it.remove();
        pool.addAndGet(c.getAndSet(0));
      }
    }
  }

  /** Appends tasks (linked through {@code next}) to the ready queue, then drains it. */
  private ScheduledTask queue(ScheduledTask tasks, ScheduledTask starting) {
    boolean first = false;
    for (ScheduledTask t = tasks; t != null; ) {
      ScheduledTask following = t.next;
      t.next = null;
      first |= readyCount.incrementAndGet() == 1;
      ready.add(t);
      t = following;
    }
    if (first) {
      // From now until the queue empties no thread keeps a freed permit for itself.
      sweep();
    }
    return drain(starting);
  }

  /**
   * Moves ready tasks into free slots, oldest first, until either runs out. A drainer that took a
   * slot but found the queue empty gives the slot back and looks once more: a task added in between
   * may have had a drainer of its own that saw no slot free.
   *
   * @param starting a chain already due to start, to which the drained tasks are appended; or null
   * @return {@code starting} followed by the tasks that got a slot, or {@code null} if none
   */
  private ScheduledTask drain(ScheduledTask starting) {
    ScheduledTask head = starting;
    ScheduledTask tail = starting;
    for (; ; ) {
      if (!takeFromPool()) {
        return head;
      }
      ScheduledTask r = ready.poll();
      if (r == null) {
        pool.incrementAndGet();
        if (ready.isEmpty()) {
          return head;
        }
        continue;
      }
      readyCount.decrementAndGet();
      if (head == null) {
        head = r;
      } else {
        tail.next = r;
      }
      tail = r;
    }
  }
}
