package dev.botrunner.dispatch;

import java.util.function.BiConsumer;

/**
 * One submitted task and its bookkeeping inside a {@link KeyedSerialScheduler}.
 *
 * <p>It is also its own completion callback, so registering it on the task's stage allocates no
 * lambda: the entry and the key array are the only per-task allocations of the scheduler.
 */
final class ScheduledTask implements BiConsumer<Object, Throwable> {

  final KeyedSerialScheduler owner;
  final Object[] keys;

  /** Cleared once started so that the task's payload can be collected while it runs. */
  KeyedSerialScheduler.Task task;

  /** Keys on which this task is not yet first in line. Guarded by the owner's lock. */
  int blockers;

  /** Set once released, so a stage that reports completion twice cannot corrupt the queues. */
  boolean done;

  /**
   * Link in a chain of tasks to start. Only the thread that took the slots for the chain, and then
   * its {@link StartLoop}, touch it.
   */
  ScheduledTask next;

  ScheduledTask(KeyedSerialScheduler owner, Object[] keys, KeyedSerialScheduler.Task task) {
    this.owner = owner;
    this.keys = keys;
    this.task = task;
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
