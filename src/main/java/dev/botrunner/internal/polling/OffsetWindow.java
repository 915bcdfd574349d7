package dev.botrunner.internal.polling;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * The watermark behind the polling offset: which received update ids are in flight or done, which
 * were spilled, and so which offset may be confirmed to Telegram. The offset is the lowest received
 * id that has not finished (or the highest received + 1 when all finished), so an update is
 * confirmed only when it and every update before it finished. Thread-safe: updates finish on worker
 * threads while the loop reads the offset on an event loop.
 */
final class OffsetWindow {

  /** Marks a finished update in {@link #window}. */
  private static final Update DONE = new Update();

  /** Guards every field below; notified whenever an update finishes. */
  private final Object lock = new Object();

  /** Received ids at or above the offset: the update while unfinished, {@link #DONE} after. */
  private final TreeMap<Integer, Update> window = new TreeMap<>();

  /** Unfinished updates the offset has already passed (spilled, or recovered at startup). */
  private final Map<Integer, Update> spilled = new HashMap<>();

  private Integer offset;
  private int maxSeen = -1;
  private Integer stuckOffset;
  private long stuckSinceNanos;
  private boolean spillEpisode;

  /**
   * What one batch brought.
   *
   * @param fresh updates seen for the first time, to dispatch
   * @param again updates Telegram sent again (in flight, done or spilled): not dispatched
   * @param nothingNew whether the batch was not empty yet brought nothing fresh
   */
  record Batch(List<Update> fresh, int again, boolean nothingNew) {}

  /**
   * The window before a request.
   *
   * @param seen received ids at or above the offset (Telegram sends them again)
   * @param offset the offset to send, or null before any update
   * @param spillDue whether the unfinished updates should be spilled before polling again
   */
  record Position(int seen, Integer offset, boolean spillDue) {}

  /**
   * Unfinished updates after a wait.
   *
   * @param inWindow unfinished updates the offset has not passed (Telegram re-sends them)
   * @param inSpill unfinished updates the offset has passed
   * @param offset the offset that may be confirmed
   */
  record Remaining(int inWindow, int inSpill, Integer offset) {}

  /**
   * Updates about to be spilled.
   *
   * @param updates the unfinished updates the offset has not passed, oldest first
   * @param passTo the offset that passes every update received so far
   */
  record Stuck(List<Update> updates, int passTo) {}

  /**
   * The outcome of passing spilled updates.
   *
   * @param finishedMeanwhile ids that finished while they were being saved
   * @param count updates now held as spilled by this pass
   * @param held every spilled update still unfinished
   * @param episodeStarts whether spilled updates are held again after all had finished
   */
  record Passed(List<Integer> finishedMeanwhile, int count, int held, boolean episodeStarts) {}

  /**
   * Records a batch from {@code getUpdates}.
   *
   * @param updates the batch, in Telegram's order
   * @param nowNanos {@link System#nanoTime()}, for the stuck-offset clock
   * @return what to dispatch
   */
  Batch accept(List<Update> updates, long nowNanos) {
    List<Update> fresh = new ArrayList<>();
    int again = 0;
    boolean nothingNew;
    synchronized (lock) {
      for (Update update : updates) {
        int id = update.getUpdateId();
        // Telegram re-sends everything from the offset on: in flight, done, or spilled here.
        if ((offset != null && id < offset) || window.containsKey(id) || spilled.containsKey(id)) {
          if (spilled.containsKey(id)) {
            // Held already (saved, or loaded from the store at a start): the offset may pass it,
            // or Telegram would send it with every batch until it finished.
            maxSeen = Math.max(maxSeen, id);
          }
          again++;
          continue;
        }
        window.put(id, update);
        maxSeen = Math.max(maxSeen, id);
        fresh.add(update);
      }
      if (!window.isEmpty()) {
        if (offset == null) {
          offset = window.firstKey();
        }
      } else if (maxSeen >= 0 && (offset == null || offset <= maxSeen)) {
        offset = maxSeen + 1;
      }
      nothingNew = fresh.isEmpty() && !updates.isEmpty();
      if (!nothingNew) {
        stuckOffset = null;
      } else if (!Objects.equals(stuckOffset, offset)) {
        stuckOffset = offset;
        stuckSinceNanos = nowNanos;
      }
    }
    return new Batch(fresh, again, nothingNew);
  }

  /**
   * @param maxLimit the window size at which spilling is due regardless of time
   * @param spillAfterNanos how long batches may bring nothing new at one offset before a spill
   * @param nowNanos {@link System#nanoTime()}
   * @return the window before the next request
   */
  Position position(int maxLimit, long spillAfterNanos, long nowNanos) {
    synchronized (lock) {
      int seen = window.size();
      boolean due =
          seen >= maxLimit
              || (stuckOffset != null
                  && stuckOffset.equals(offset)
                  && nowNanos - stuckSinceNanos >= spillAfterNanos);
      return new Position(seen, offset, due);
    }
  }

  /** Where a finished update was held. */
  enum Finished {
    /** In the window (the offset may have moved), or no longer tracked. */
    NOT_SPILLED,
    /** Spilled; others spilled are still unfinished. */
    SPILLED,
    /** Spilled, and the last one held: the spill episode is over. */
    LAST_SPILLED
  }

  /**
   * Records that an update finished and moves the offset past every finished one before it.
   *
   * @param id the update
   * @return where it was held; a spilled one is held no longer
   */
  Finished finished(int id) {
    synchronized (lock) {
      try {
        if (window.containsKey(id)) {
          window.put(id, DONE);
          while (!window.isEmpty() && window.firstEntry().getValue() == DONE) {
            window.pollFirstEntry();
          }
          offset = window.isEmpty() ? Integer.valueOf(maxSeen + 1) : window.firstKey();
          return Finished.NOT_SPILLED;
        }
        if (spilled.remove(id) == null) {
          return Finished.NOT_SPILLED;
        }
        if (spilled.isEmpty() && spillEpisode) {
          spillEpisode = false;
          return Finished.LAST_SPILLED;
        }
        return Finished.SPILLED;
      } finally {
        lock.notifyAll();
      }
    }
  }

  /**
   * @return the unfinished updates the offset has not passed, and the offset that passes them
   */
  Stuck stuck() {
    List<Update> updates = new ArrayList<>();
    synchronized (lock) {
      for (Update update : window.values()) {
        if (update != DONE) {
          updates.add(update);
        }
      }
      return new Stuck(updates, maxSeen + 1);
    }
  }

  /**
   * Holds the still unfinished ones of {@code stuck} as spilled and moves the offset past them.
   * Call only after they were saved, so that confirming them loses nothing.
   *
   * @param stuck what {@link #stuck()} returned when the spill began
   * @return what happened to them
   */
  Passed pass(Stuck stuck) {
    List<Integer> finishedMeanwhile = new ArrayList<>();
    boolean episodeStarts = false;
    synchronized (lock) {
      for (Update update : stuck.updates()) {
        int id = update.getUpdateId();
        Update now = window.get(id);
        if (now == null || now == DONE) {
          finishedMeanwhile.add(id);
        } else {
          spilled.put(id, update);
        }
      }
      window.headMap(stuck.passTo()).clear();
      offset = stuck.passTo();
      stuckOffset = null;
      if (!spilled.isEmpty() && !spillEpisode) {
        spillEpisode = true;
        episodeStarts = true;
      }
      return new Passed(
          finishedMeanwhile,
          stuck.updates().size() - finishedMeanwhile.size(),
          spilled.size(),
          episodeStarts);
    }
  }

  /**
   * Holds saved updates that an earlier poller left unfinished as spilled, except those this
   * process still tracks (a poller that takes its lock again finds its own rows among them).
   *
   * @param updates unfinished updates loaded from the store
   * @return those now held, to run
   */
  List<Update> holdRecovered(List<Update> updates) {
    List<Update> held = new ArrayList<>();
    synchronized (lock) {
      for (Update update : updates) {
        int id = update.getUpdateId();
        if (!window.containsKey(id) && spilled.putIfAbsent(id, update) == null) {
          held.add(update);
        }
      }
    }
    return held;
  }

  /**
   * Waits until every received update finished, or until the deadline.
   *
   * @param deadlineNanos {@link System#nanoTime()} at which to stop waiting
   * @return what is left, and the offset to confirm
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  Remaining awaitFinished(long deadlineNanos) throws InterruptedException {
    synchronized (lock) {
      while (unfinishedLocked() > 0) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          break;
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
      int inSpill = spilled.size();
      return new Remaining(unfinishedLocked() - inSpill, inSpill, offset);
    }
  }

  /**
   * @return the offset the next request sends (lowest unfinished id), or null before any update
   */
  Integer offset() {
    synchronized (lock) {
      return offset;
    }
  }

  /**
   * @return dispatched updates that have not finished (in the window and spilled)
   */
  int unfinished() {
    synchronized (lock) {
      return unfinishedLocked();
    }
  }

  private int unfinishedLocked() {
    int count = spilled.size();
    for (Update update : window.values()) {
      if (update != DONE) {
        count++;
      }
    }
    return count;
  }
}
