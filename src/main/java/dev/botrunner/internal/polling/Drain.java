package dev.botrunner.internal.polling;

import dev.botrunner.internal.client.TelegramClient;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The polling side of a graceful shutdown, once fetching has stopped: waits for the dispatched
 * updates, confirms the watermark to Telegram, and reports what did not finish and where it will
 * run again (Telegram's next delivery, {@code bot_pending_update}, or nowhere with the memory
 * store).
 */
final class Drain {

  /** The polling loop's category, so that one log setting covers the whole loop. */
  private static final Logger LOG = Logger.getLogger(LongPoller.class);

  /** How long the last getUpdates that confirms the offset may take before shutdown goes on. */
  static final Duration CONFIRM_WAIT = Duration.ofSeconds(15);

  private final TelegramClient api;
  private final List<String> allowedUpdates;
  private final OffsetWindow window;
  private final Spill spill;
  private final Standby standby;

  /**
   * @param api the Bot API client
   * @param allowedUpdates update types the loop asks for, or null
   * @param window the updates in flight
   * @param spill where spilled updates are kept
   * @param standby the election, if several replicas poll
   */
  Drain(
      TelegramClient api,
      List<String> allowedUpdates,
      OffsetWindow window,
      Spill spill,
      Standby standby) {
    this.api = api;
    this.allowedUpdates = allowedUpdates;
    this.window = window;
    this.spill = spill;
    this.standby = standby;
  }

  /**
   * Waits up to {@code grace}, confirms the watermark, removes the saved rows of finished updates,
   * then gives up the poller lock. Blocks.
   *
   * @param grace how long to wait for updates in flight
   * @param stopped marks the loop stopped, after the confirmation and before the lock is released
   * @return the number of updates still unfinished when the wait ended
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  int run(Duration grace, Runnable stopped) throws InterruptedException {
    OffsetWindow.Remaining left = window.awaitFinished(System.nanoTime() + grace.toNanos());
    // Only the lock holder may call getUpdates: a standby's call would cut the leader's long poll.
    Integer confirm = standby.leads() ? left.offset() : null;
    boolean confirmed = confirm == null || confirm(confirm);
    // Before the lock goes: the next poller loads every row left, finished or not.
    spill.flushRemovals();
    stopped.run();
    standby.release(); // a standby replica takes over at once
    report(left, confirmed && confirm != null, grace);
    return left.inWindow() + left.inSpill();
  }

  private boolean confirm(int offset) {
    try {
      // The answer (an update at or above the offset) is not confirmed by this call: ignored.
      api.getUpdates(offset, 1, 0, allowedUpdates).await().atMost(CONFIRM_WAIT);
      return true;
    } catch (RuntimeException e) {
      LOG.warnf(
          "could not confirm offset %d to Telegram (%s): updates that finished since the last"
              + " poll will be delivered again to the next process",
          offset, e.getMessage());
      return false;
    }
  }

  private void report(OffsetWindow.Remaining left, boolean confirmed, Duration grace) {
    if (left.inWindow() == 0 && left.inSpill() == 0) {
      LOG.infof(
          "polling drained: every received update finished%s",
          confirmed ? "; offset " + left.offset() + " confirmed" : "");
    }
    if (left.inWindow() > 0) {
      LOG.warnf(
          "%d update(s) did not finish within %s: they were not confirmed, Telegram delivers them"
              + " again to the next process",
          left.inWindow(), grace);
    }
    if (left.inSpill() > 0) {
      if (spill.durable()) {
        LOG.warnf(
            "%d confirmed update(s) did not finish within %s: they are saved in"
                + " bot_pending_update and run again at the next start",
            left.inSpill(), grace);
      } else {
        LOG.errorf(
            "%d spilled update(s) did not finish within %s: Telegram already confirmed them and"
                + " they are held only in memory (memory session store), so they are lost if the"
                + " process exits before they finish",
            left.inSpill(), grace);
      }
    }
  }
}
