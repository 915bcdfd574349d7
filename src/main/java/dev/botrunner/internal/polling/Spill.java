package dev.botrunner.internal.polling;

import dev.botrunner.internal.store.PendingUpdates;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Moves unfinished updates out of the {@link OffsetWindow}: saves them in {@link PendingUpdates}
 * first, and only then lets the offset pass them, so that the next {@code getUpdates} confirms them
 * and Telegram does not send them again. With a durable store this happens to every batch as soon
 * as it arrives ({@link #saveFetched}), so each update is fetched once; with the memory store only
 * to updates that hold the offset back too long ({@link #save}), since Telegram returns updates
 * only from the offset on and one stuck update would otherwise cap the lookahead at 100 behind it.
 * Also removes saved updates from the store when they finish ({@link FinishedRows}), and runs again
 * at startup what an earlier process saved.
 */
final class Spill {

  /** The polling loop's category, so that one log setting covers the whole loop. */
  private static final Logger LOG = Logger.getLogger(LongPoller.class);

  /**
   * After a failed save of fetched updates, how long the loop polls by watermark before retrying.
   */
  static final Duration SAVE_RETRY = Duration.ofSeconds(1);

  /** How long a graceful stop waits for the rows of finished updates to be removed. */
  static final Duration REMOVE_WAIT = Duration.ofSeconds(5);

  private final OffsetWindow window;
  private volatile PendingUpdates pending = PendingUpdates.MEMORY;
  private volatile FinishedRows finishedRows;
  private final LongAdder spilledTotal = new LongAdder();

  /** Set while saves of fetched updates fail: the loop falls back to the watermark meanwhile. */
  private volatile boolean saveFailing;

  private volatile long saveRetryAtNanos;

  /**
   * @param window the window whose unfinished updates are spilled
   */
  Spill(OffsetWindow window) {
    this.window = window;
  }

  /**
   * @param pending where spilled updates are kept
   */
  void pendingUpdates(PendingUpdates pending) {
    this.pending = pending;
    this.finishedRows = pending.durable() ? new FinishedRows(pending) : null;
  }

  /**
   * @return whether spilled updates survive a crash
   */
  boolean durable() {
    return pending.durable();
  }

  /**
   * @return updates confirmed to Telegram before they finished, since start
   */
  long count() {
    return spilledTotal.sum();
  }

  /**
   * Saves the unfinished updates of the window; the caller then lets the offset pass them.
   *
   * @return the saved updates, once they are stored
   */
  Uni<OffsetWindow.Stuck> save() {
    OffsetWindow.Stuck stuck = window.stuck();
    return pending.save(stuck.updates()).replaceWith(stuck);
  }

  /**
   * Saves every unfinished update of the window (with a durable store, the batch just fetched and
   * any earlier one whose save failed), in one statement; the caller then lets the offset pass
   * them. A failed save is reported here and yields null: the updates stay unconfirmed, so Telegram
   * sends them again (the watermark), and the next save is tried after {@link #SAVE_RETRY}.
   *
   * @return the saved updates, or null when the save failed
   */
  Uni<OffsetWindow.Stuck> saveFetched() {
    OffsetWindow.Stuck stuck = window.stuck();
    return pending
        .save(stuck.updates())
        .map(
            ignored -> {
              if (saveFailing) {
                saveFailing = false;
                LOG.info("fetched updates are saved in bot_pending_update again");
              }
              return stuck;
            })
        .onFailure()
        .recoverWithItem(
            failure -> {
              saveRetryAtNanos = System.nanoTime() + SAVE_RETRY.toNanos();
              if (!saveFailing) {
                saveFailing = true;
                LOG.warnf(
                    "could not save %d fetched update(s) in bot_pending_update (%s): they stay"
                        + " unconfirmed, so Telegram sends them again with each batch until a save"
                        + " succeeds (tried every %d ms). Logged once until it does.",
                    stuck.updates().size(),
                    PollFailurePolicy.describe(failure),
                    SAVE_RETRY.toMillis());
              }
              return null;
            });
  }

  /**
   * @param nowNanos {@link System#nanoTime()}
   * @return how long to wait before the next {@link #saveFetched}: 0 unless the last one failed
   *     less than {@link #SAVE_RETRY} ago
   */
  long saveWaitNanos(long nowNanos) {
    return saveFailing ? Math.max(0, saveRetryAtNanos - nowNanos) : 0;
  }

  /**
   * Lets the offset pass the saved updates that are still unfinished.
   *
   * @param stuck what {@link #save} stored
   */
  void passed(OffsetWindow.Stuck stuck) {
    OffsetWindow.Passed passed = window.pass(stuck);
    spilledTotal.add(passed.count());
    for (int id : passed.finishedMeanwhile()) {
      forget(id);
    }
    if (passed.count() > 0) {
      if (pending.durable()) {
        LOG.tracef(
            "%d unfinished update(s) saved in bot_pending_update; the offset moves on to %d",
            passed.count(), stuck.passTo());
      } else if (passed.episodeStarts()) {
        LOG.warnf(
            "%d slow update(s) were confirmed to Telegram before they finished, so later updates"
                + " are not held up; with the memory session store they are held only in memory"
                + " and lost if the process crashes (use PostgreSQL for at-least-once). Logged"
                + " once until they have all finished.",
            passed.held());
      }
    }
  }

  /**
   * Records that an update finished, wherever it was held.
   *
   * @param id the update
   */
  void finished(int id) {
    OffsetWindow.Finished where = window.finished(id);
    // The end of the episode whose start was warned about; a durable store warns of none.
    if (where == OffsetWindow.Finished.LAST_SPILLED && !pending.durable()) {
      LOG.info("every spilled update has finished");
    }
    if (where != OffsetWindow.Finished.NOT_SPILLED) {
      forget(id);
    }
  }

  private void forget(int id) {
    FinishedRows rows = finishedRows;
    if (rows != null) {
      rows.add(id);
    }
  }

  /**
   * Removes the rows of every finished update now, and no more after; for a graceful stop. Blocks,
   * at most {@link #REMOVE_WAIT}.
   */
  void flushRemovals() {
    FinishedRows rows = finishedRows;
    if (rows != null) {
      rows.flushAndClose(REMOVE_WAIT);
    }
  }

  /** Removes no more rows (a stop without a drain): they run again at the next start. */
  void close() {
    FinishedRows rows = finishedRows;
    if (rows != null) {
      rows.close();
    }
  }

  /**
   * Runs again the updates an earlier poller saved and did not finish: at the start, and each time
   * this process takes the poller lock again (another replica may have polled meanwhile), skipping
   * those this process still runs or has finished.
   *
   * @param dispatch dispatches one update and reports its end to {@link #finished}
   * @return completes once they are dispatched
   */
  Uni<Void> recover(Consumer<Update> dispatch) {
    if (!pending.durable()) {
      return Uni.createFrom().voidItem();
    }
    return pending
        .loadAll()
        .invoke(
            loaded -> {
              FinishedRows rows = finishedRows;
              Set<Integer> finished = rows == null ? Set.of() : rows.ids();
              List<Update> left = new ArrayList<>();
              for (Update update : loaded) {
                if (!finished.contains(update.getUpdateId())) {
                  left.add(update);
                }
              }
              List<Update> updates = window.holdRecovered(left);
              if (updates.isEmpty()) {
                return;
              }
              LOG.infof(
                  "%d update(s) saved by an earlier poller before they finished run again",
                  updates.size());
              updates.forEach(dispatch);
            })
        .replaceWithVoid();
  }
}
