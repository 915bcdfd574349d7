package dev.botrunner.internal.polling;

import dev.botrunner.internal.logging.RepeatedWarning;
import dev.botrunner.internal.store.PendingUpdates;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Removes the saved rows of updates that finished, many in one statement: the polling loop saves
 * every batch it fetched ({@link Spill}), so one delete per update would cost a round-trip per
 * update. A delete goes out once {@link #BATCH} ids are held, or {@link #DELAY} after the first of
 * them, one at a time. A row whose delete is late or lost does no harm beyond a rerun: the next
 * poller loads it, and the update is skipped there as processed when it committed.
 */
final class FinishedRows {

  /** The polling loop's category, so that one log setting covers the whole loop. */
  private static final Logger LOG = Logger.getLogger(LongPoller.class);

  /** Held ids that make a delete due at once. */
  static final int BATCH = 100;

  /** The longest a finished update's row waits for its delete, and the pause after a failure. */
  static final Duration DELAY = Duration.ofSeconds(1);

  /**
   * Held ids past which a failing database makes this forget the oldest: their rows stay and run
   * again at the next start, skipped as processed.
   */
  static final int MAX_HELD = 100_000;

  /** How often a failing delete is logged. */
  private static final Duration WARN_EVERY = Duration.ofSeconds(5);

  private final PendingUpdates pending;
  private final RepeatedWarning failures = new RepeatedWarning(LOG, WARN_EVERY);

  /** Guards every field below; notified when a delete ends. */
  private final Object lock = new Object();

  private List<Integer> held = new ArrayList<>();
  private List<Integer> inDelete = List.of();
  private Cancellable timer;
  private boolean deleting;
  private boolean closed;

  /**
   * @param pending the store whose rows these are
   */
  FinishedRows(PendingUpdates pending) {
    this.pending = pending;
  }

  /**
   * @param updateId a saved update that finished
   */
  void add(int updateId) {
    List<Integer> batch;
    synchronized (lock) {
      if (closed) {
        return;
      }
      held.add(updateId);
      batch = dueLocked();
    }
    delete(batch);
  }

  /**
   * @return the ids whose rows are still to be removed (held, or in a delete under way)
   */
  Set<Integer> ids() {
    synchronized (lock) {
      Set<Integer> ids = new HashSet<>(held);
      ids.addAll(inDelete);
      return ids;
    }
  }

  /**
   * @return the ids to delete now, or null: a delete is under way, nothing is held, or too few are
   *     held and a timer (started here if needed) sends them later
   */
  private List<Integer> dueLocked() {
    if (deleting || held.isEmpty()) {
      return null;
    }
    if (held.size() >= BATCH) {
      if (timer != null) {
        timer.cancel();
        timer = null;
      }
      return takeLocked();
    }
    if (timer == null) {
      timer = later(this::onTimer);
    }
    return null;
  }

  private List<Integer> takeLocked() {
    List<Integer> batch = held;
    held = new ArrayList<>();
    deleting = true;
    inDelete = batch;
    return batch;
  }

  private void onTimer() {
    List<Integer> batch = null;
    synchronized (lock) {
      timer = null;
      if (!closed && !deleting && !held.isEmpty()) {
        batch = takeLocked();
      }
    }
    delete(batch);
  }

  /** Outside the lock: an update's worker thread must not wait behind a database call. */
  private void delete(List<Integer> batch) {
    if (batch == null) {
      return;
    }
    pending
        .removeAll(batch)
        .subscribe()
        .with(ignored -> ended(null, batch), failure -> ended(failure, batch));
  }

  private void ended(Throwable failure, List<Integer> batch) {
    int count = batch.size();
    List<Integer> next = null;
    synchronized (lock) {
      deleting = false;
      inDelete = List.of();
      lock.notifyAll();
      if (closed) {
        return;
      }
      if (failure == null) {
        next = dueLocked();
      } else {
        batch.addAll(held);
        held = batch;
        if (held.size() > MAX_HELD) {
          held.subList(0, held.size() - MAX_HELD).clear();
        }
        // Not at once, even when many are held: the database is likely away.
        if (timer == null) {
          timer = later(this::onTimer);
        }
      }
    }
    if (failure == null) {
      delete(next);
      return;
    }
    failures.warn(
        "could not remove the rows of "
            + count
            + " finished update(s) from bot_pending_update ("
            + PollFailurePolicy.describe(failure)
            + "); trying again in "
            + DELAY.toMillis()
            + " ms. A row left behind runs again at the next start and is skipped there if it was"
            + " recorded as processed");
  }

  /**
   * Deletes every held row now and waits for it; for a graceful stop. After it, finished updates
   * are no longer removed (see {@link #close}).
   *
   * @param timeout the longest wait
   */
  void flushAndClose(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Integer> batch;
    synchronized (lock) {
      closed = true;
      if (timer != null) {
        timer.cancel();
        timer = null;
      }
      try {
        while (deleting && System.nanoTime() < deadline) {
          lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      batch = held;
      held = new ArrayList<>();
    }
    if (batch.isEmpty()) {
      return;
    }
    try {
      pending
          .removeAll(batch)
          .await()
          .atMost(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
    } catch (RuntimeException e) {
      LOG.warnf(
          "could not remove the rows of %d finished update(s) from bot_pending_update (%s): they"
              + " run again at the next start and are skipped there if they were recorded as"
              + " processed",
          batch.size(), PollFailurePolicy.describe(e));
    }
  }

  /** Stops removing rows (a stop without drain): what is held stays, to run again at a start. */
  void close() {
    synchronized (lock) {
      closed = true;
      if (timer != null) {
        timer.cancel();
        timer = null;
      }
    }
  }

  private static Cancellable later(Runnable action) {
    return Uni.createFrom()
        .voidItem()
        .onItem()
        .delayIt()
        .by(DELAY)
        .subscribe()
        .with(ignored -> action.run(), failure -> action.run());
  }
}
