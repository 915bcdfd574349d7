package dev.botrunner.update;

import io.smallrye.mutiny.Uni;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Moves updates that hold the offset back out of the {@link OffsetWindow}: saves them in {@link
 * PendingUpdates} first, and only then lets the offset pass them. Telegram returns updates only
 * from the offset on, so without this one stuck update would cap the lookahead at 100 behind it.
 * Also removes spilled updates from the store when they finish, and runs again at startup what an
 * earlier process saved.
 */
final class Spill {

  /** The polling loop's category, so that one log setting covers the whole loop. */
  private static final Logger LOG = Logger.getLogger(LongPoller.class);

  private final OffsetWindow window;
  private volatile PendingUpdates pending = PendingUpdates.MEMORY;
  private final LongAdder spilledTotal = new LongAdder();

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
        LOG.debugf(
            "%d slow update(s) saved in bot_pending_update; offset moves on to %d",
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
    if (where == OffsetWindow.Finished.LAST_SPILLED) {
      LOG.info("every spilled update has finished");
    }
    if (where != OffsetWindow.Finished.NOT_SPILLED) {
      forget(id);
    }
  }

  private void forget(int id) {
    pending
        .remove(id)
        .subscribe()
        .with(
            ignored -> {},
            e ->
                LOG.warnf(
                    "could not remove finished update %d from bot_pending_update (%s): it runs"
                        + " again at the next start and is skipped there if it was recorded as"
                        + " processed",
                    id, e.getMessage()));
  }

  /**
   * Runs again the updates an earlier process spilled and did not finish.
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
            updates -> {
              if (updates.isEmpty()) {
                return;
              }
              LOG.infof(
                  "%d update(s) saved by an earlier process before they finished run again",
                  updates.size());
              window.holdRecovered(updates);
              updates.forEach(dispatch);
            })
        .replaceWithVoid();
  }
}
