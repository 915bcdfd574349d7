package dev.botrunner.internal.dispatch;

/**
 * A per-thread trampoline for starting tasks.
 *
 * <p>Tasks may complete synchronously inside {@link KeyedSerialScheduler.Task#start()}, and each
 * completion may make further tasks startable. Starting those recursively would nest one set of
 * frames per task, so a long chain of synchronously completing tasks on one key would overflow the
 * stack. Instead, the outermost {@link #launch} on a thread loops over a queue, and any launch that
 * happens further down the same thread's stack only appends to that queue.
 *
 * <p>The loop is shared by all schedulers, so completions that cross schedulers are flattened too.
 */
final class StartLoop {

  private static final ThreadLocal<StartLoop> CURRENT = ThreadLocal.withInitial(StartLoop::new);

  private boolean active;
  private ScheduledTask head;
  private ScheduledTask tail;

  private StartLoop() {}

  /**
   * Starts a chain of tasks (linked through {@link ScheduledTask#next}) whose slots are already
   * taken, either right here or, if this thread is already looping, from the outer loop.
   */
  static void launch(ScheduledTask chain) {
    StartLoop loop = CURRENT.get();
    loop.append(chain);
    if (loop.active) {
      return;
    }
    loop.active = true;
    try {
      ScheduledTask t;
      while ((t = loop.poll()) != null) {
        t.owner.start(t, loop);
      }
    } finally {
      // If something escaped, queued tasks stay here and run on this thread's next launch.
      loop.active = false;
    }
  }

  /** Queues a chain (possibly {@code null}) behind the tasks already queued. */
  void append(ScheduledTask chain) {
    if (chain == null) {
      return;
    }
    if (head == null) {
      head = chain;
    } else {
      tail.next = chain;
    }
    ScheduledTask last = chain;
    while (last.next != null) {
      last = last.next;
    }
    tail = last;
  }

  private ScheduledTask poll() {
    ScheduledTask t = head;
    if (t != null) {
      head = t.next;
      if (head == null) {
        tail = null;
      }
      t.next = null;
    }
    return t;
  }
}
