package dev.botrunner.internal.polling;

import dev.botrunner.internal.client.TelegramClient;
import dev.botrunner.internal.dispatch.Dispatcher;
import dev.botrunner.internal.store.PendingUpdates;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * The {@code getUpdates} loop. It asks for at most as many new updates as the runner can start
 * (free slots) plus a lookahead that waits for the next freed slots, within the room in the waiting
 * queue ({@link FetchCapacity}), so never more than the concurrency limit run and memory stays
 * bounded, from the first batch on, while a slot freed by a slow handler starts the next update
 * without waiting for a poll. One request at a time; failures are retried with backoff, except a
 * rejected token, which stops the loop ({@link PollFailurePolicy}).
 *
 * <p>With a durable {@link PendingUpdates} store (PostgreSQL) each batch is saved, those of its
 * updates not finished yet in one statement, before the offset passes it, so the next poll confirms
 * it and each update is fetched once ({@link Spill#saveFetched}); the rows are removed in batches
 * as the updates finish ({@link FinishedRows}). With the memory store, and while saves fail, the
 * offset is a watermark ({@link OffsetWindow}): an update is confirmed only when it and every
 * update before it finished, so Telegram re-sends the unconfirmed ones, which are not dispatched
 * again, and the limit asks for them on top of the free capacity ({@code min(100, seen + free)});
 * updates that hold it back too long are spilled ({@link Spill}). With several replicas only the
 * holder of the poller lock polls ({@link Standby}). {@link #drain} stops on shutdown without
 * losing an update ({@link Drain}).
 */
public final class LongPoller {

  private static final Logger LOG = Logger.getLogger(LongPoller.class);
  static final int TELEGRAM_MAX_LIMIT = 100;

  private final Dispatcher dispatcher;
  private final int pollSeconds;
  private final FetchCapacity capacity;
  private final FetchStep fetch;
  private final Handshake handshake;
  private final PollFailurePolicy failures;
  private final OffsetWindow window = new OffsetWindow();
  private final Spill spill = new Spill(window);
  private final Standby standby = new Standby();
  private final Drain drain;
  private final PollSteps steps = new PollSteps(this::onFailure);

  private volatile PollerState state = PollerState.IDLE;
  private volatile String lastError;
  private volatile long lastActivityNanos = System.nanoTime();
  private final LongAdder resent = new LongAdder();
  private final Runnable nextStep = this::next;
  private final Consumer<List<Update>> acceptAnswer = this::accept;
  private boolean recovered;

  /**
   * Starts a poller's settings ({@link LongPollerBuilder}, with its defaults).
   *
   * @param api the Bot API client
   * @param dispatcher where updates go
   * @return the builder
   */
  public static LongPollerBuilder builder(TelegramClient api, Dispatcher dispatcher) {
    return new LongPollerBuilder(api, dispatcher);
  }

  LongPoller(LongPollerBuilder b) {
    this.dispatcher = b.dispatcher;
    this.pollSeconds = b.pollSeconds;
    this.handshake = new Handshake(b.api, b.dispatcher, b.deleteWebhook);
    int lookahead =
        b.lookahead != LongPollerBuilder.LOOKAHEAD_OF_THE_LIMIT
            ? b.lookahead
            : FetchCapacity.lookaheadFor(b.dispatcher.scheduler().concurrency());
    this.capacity = new FetchCapacity(b.dispatcher, b.maxWaiting, lookahead);
    this.failures = new PollFailurePolicy(b.minBackoff, b.maxBackoff);
    this.drain = new Drain(b.api, b.allowedUpdates, window, spill, standby);
    this.fetch =
        new FetchStep(b.api, b.pollSeconds, b.allowedUpdates, capacity, window, spill, steps);
    fetch.spillAfter(b.spillAfter);
    fetch.resendGap(b.resendGap);
    if (b.pending != null) {
      spill.pendingUpdates(b.pending);
    }
    if (b.lock != null) {
      standby.elect(b.lock, b.lockRetry, this::lostLock);
    }
  }

  /** The lock's connection closed: stop polling at once (another replica may take over). */
  private void lostLock() {
    boolean restart;
    synchronized (this) {
      if (state != PollerState.POLLING) {
        return;
      }
      state = PollerState.STANDBY;
      restart = steps.busy();
      steps.cancel();
    }
    LOG.warn("standby: the poller lock was lost; fetching stopped until it is taken again");
    if (restart) {
      steps.run(pause(standby.retry()), i -> next());
    }
  }

  /**
   * @return how many getUpdates requests this poller sent
   */
  public long pollCount() {
    return fetch.polls();
  }

  /** Starts the loop: getMe, optionally deleteWebhook, then getUpdates until stopped. */
  public synchronized void start() {
    if (state != PollerState.IDLE && state != PollerState.STANDBY) {
      return;
    }
    state = PollerState.POLLING;
    LOG.infof("long polling started (timeout %d s)", pollSeconds);
    next();
  }

  /** Stops fetching; updates already dispatched go on. */
  public synchronized void stop() {
    if (state == PollerState.POLLING
        || state == PollerState.DRAINING
        || state == PollerState.STANDBY) {
      state = PollerState.STOPPED;
    }
    steps.cancel();
    spill.close();
    standby.release();
  }

  /**
   * Stops fetching, waits up to {@code grace} for every dispatched update to finish, then confirms
   * the watermark to Telegram ({@code getUpdates(offset, 1, 0)}; the update that call returns is
   * not confirmed by it and is ignored). Unfinished updates stay unconfirmed, so Telegram delivers
   * them again to the next process; spilled ones are run again from {@link PendingUpdates} when it
   * is durable. Blocks the calling thread.
   *
   * @param grace how long to wait for updates in flight
   * @return the number of updates still unfinished when the wait ended
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  public int drain(Duration grace) throws InterruptedException {
    synchronized (this) {
      if (state == PollerState.POLLING) {
        state = PollerState.DRAINING;
      } else if (state == PollerState.STANDBY) {
        state = PollerState.STOPPED;
      }
      steps.cancel();
    }
    return drain.run(grace, this::drained);
  }

  private synchronized void drained() {
    if (state == PollerState.DRAINING) {
      state = PollerState.STOPPED;
    }
  }

  /**
   * @return the loop's state
   */
  public PollerState state() {
    return state;
  }

  /**
   * @return whether getMe succeeded, i.e. Telegram accepted the token
   */
  public boolean authorized() {
    return handshake.authorized();
  }

  /**
   * @return {@link System#nanoTime()} when the loop last got an answer or started waiting; a
   *     liveness check compares it with the longest expected wait
   */
  public long lastActivityNanos() {
    return lastActivityNanos;
  }

  /**
   * @return whether the loop is paused because the runner is full (not a stuck loop)
   */
  public boolean waitingForCapacity() {
    return fetch.waitingForCapacity();
  }

  /**
   * @return the last failure's description (no secrets), or null
   */
  public String lastError() {
    return lastError;
  }

  /**
   * @return the offset the next request sends (lowest unfinished id), or null before any update
   */
  public Integer offset() {
    return window.offset();
  }

  /**
   * @return dispatched updates that have not finished (in the window and spilled)
   */
  public int unfinished() {
    return window.unfinished();
  }

  /**
   * @return updates confirmed to Telegram before they finished, since start
   */
  public long spilledCount() {
    return spill.count();
  }

  /**
   * @return updates Telegram sent again that were already in flight or done (not dispatched)
   */
  public long resentCount() {
    return resent.sum();
  }

  private void next() {
    lastActivityNanos = System.nanoTime();
    if (state != PollerState.POLLING && state != PollerState.STANDBY) {
      return;
    }
    if (!handshake.done()) {
      steps.run(handshake.run(), ignored -> next());
      return;
    }
    if (!standby.leads()) {
      standBy();
      return;
    }
    if (!recovered) {
      // Only the poller (the lock holder) runs what an earlier process saved and left unfinished.
      steps.run(spill.recover(this::dispatchTracked).invoke(() -> recovered = true), i -> next());
      return;
    }
    fetch.run(nextStep, acceptAnswer);
  }

  private void standBy() {
    synchronized (this) {
      if (state == PollerState.POLLING) {
        state = PollerState.STANDBY;
      }
    }
    steps.run(
        standby.attempt(error -> lastError = error),
        acquired -> {
          if (acquired) {
            synchronized (this) {
              if (state != PollerState.STANDBY) {
                standby.release();
                return;
              }
              state = PollerState.POLLING;
            }
            lastError = null;
            standby.tookOver();
            // Another replica may have polled meanwhile and died with rows of its own.
            recovered = false;
          }
          next();
        });
  }

  private void accept(List<Update> updates) {
    failures.succeeded();
    lastError = null;
    OffsetWindow.Batch batch = window.accept(updates, System.nanoTime());
    resent.add(batch.again());
    for (Update update : batch.fresh()) {
      dispatchTracked(update);
    }
    if (batch.nothingNew()) {
      steps.run(capacity.releaseOrPause(), ignored -> next());
    } else {
      next();
    }
  }

  private void dispatchTracked(Update update) {
    int id = update.getUpdateId();
    dispatcher.dispatch(update).whenComplete((outcome, failure) -> spill.finished(id));
  }

  private void onFailure(Throwable failure) {
    Duration delay;
    // Under the lock, so that a stop, drain or lost lock between the check and the change is not
    // overwritten with UNAUTHORIZED.
    synchronized (this) {
      if (state != PollerState.POLLING) {
        return;
      }
      lastError = PollFailurePolicy.describe(failure);
      delay = failures.retryDelay(failure);
      if (delay == null) {
        state = PollerState.UNAUTHORIZED;
        handshake.rejected();
        return;
      }
    }
    steps.run(pause(delay), ignored -> next());
  }

  private static Uni<Void> pause(Duration delay) {
    return Uni.createFrom().voidItem().onItem().delayIt().by(delay);
  }
}
