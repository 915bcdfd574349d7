package dev.botrunner.internal.dispatch;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.BiConsumer;

/**
 * One submitted task and its bookkeeping inside a {@link KeyedSerialScheduler}.
 *
 * <p>It is also its own completion callback, so registering it on the task's stage allocates no
 * lambda: the entry and the key array are the only per-task allocations of the scheduler.
 */
final class ScheduledTask implements BiConsumer<Object, Throwable> {

  private static final VarHandle BLOCKERS;
  private static final VarHandle DONE;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      BLOCKERS = l.findVarHandle(ScheduledTask.class, "blockers", int.class);
      DONE = l.findVarHandle(ScheduledTask.class, "done", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final KeyedSerialScheduler owner;
  final Object[] keys;

  /** Cleared once started so that the task's payload can be collected while it runs. */
  KeyedSerialScheduler.Task task;

  /**
   * Keys on which this task is not yet first in line. Set while the task's stripes are locked at
   * submission; afterwards only decremented, atomically, since its keys may sit on different
   * stripes that complete on different threads.
   */
  int blockers;

  /** Set once released, so a stage that reports completion twice cannot corrupt the queues. */
  private boolean done;

  /**
   * Link in a chain of tasks to start (or, inside one release, of tasks just unblocked). Only the
   * thread that holds the chain touches it.
   */
  ScheduledTask next;

  ScheduledTask(KeyedSerialScheduler owner, Object[] keys, KeyedSerialScheduler.Task task) {
    this.owner = owner;
    this.keys = keys;
    this.task = task;
  }

  /** Counts one key cleared; returns whether it was the last one ahead of this task. */
  boolean unblock() {
    return (int) BLOCKERS.getAndAdd(this, -1) == 1;
  }

  /** Returns true exactly once: for the first report of completion. */
  boolean markDone() {
    // The plain read also keeps the field visible to the native-image builder, which gives a
    // field reached only through a VarHandle no offset ("No offset for field"). A stale false
    // only means the CAS decides.
    if (done) {
      return false;
    }
    return DONE.compareAndSet(this, false, true);
  }

  /** Completion callback for asynchronously completing stages. */
  @Override
  public void accept(Object result, Throwable failure) {
    ScheduledTask chain = owner.release(this);
    if (chain != null) {
      StartLoop.launch(chain);
    }
  }
}
