package dev.botrunner.update;

import dev.botrunner.dispatch.Dispatcher;
import dev.botrunner.dispatch.KeyedSerialScheduler;
import dev.botrunner.telegram.Backoff;
import dev.botrunner.telegram.TelegramApiException;
import dev.botrunner.telegram.TelegramClient;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.User;

/**
 * The {@code getUpdates} loop. It asks for at most as many new updates as the runner can start
 * (free slots, and room in the waiting queue), so never more than the concurrency limit run and
 * memory stays bounded, from the first batch on. One request at a time; failures are retried with
 * backoff, except a rejected token, which stops the loop.
 *
 * <p><b>Watermark offset (at-least-once).</b> The offset sent to Telegram is the lowest id that has
 * not finished among those received (or the highest received + 1 when all finished): an update is
 * confirmed only when it and every update before it finished. Telegram therefore re-sends the
 * unconfirmed ones with every batch; those in flight or done are recognised and not dispatched
 * again, and the limit asks for them on top of the free capacity ({@code min(100, seen + free)}).
 *
 * <p><b>Spill.</b> Telegram only returns updates from the offset on, so one stuck update would cap
 * the lookahead at 100 updates behind it. When the window of unconfirmed updates reaches 100, or
 * batches bring nothing new while the offset has not moved for {@link #spillAfter}, the unfinished
 * ones are "spilled": saved in {@link PendingUpdates} (durable with PostgreSQL) and only then
 * passed by the offset. With the memory store they are held only in memory (logged once per
 * episode, counted).
 *
 * <p><b>Drain.</b> {@link #drain} stops fetching, waits for the dispatched updates, then confirms
 * the watermark with a last {@code getUpdates(offset, limit 1, timeout 0)} whose answer is ignored.
 */
public final class LongPoller {

  private static final Logger LOG = Logger.getLogger(LongPoller.class);
  static final int TELEGRAM_MAX_LIMIT = 100;

  /** Marks a finished update in {@link #window}. */
  private static final Update DONE = new Update();

  /** Pause between polls that brought nothing new while something is unconfirmed. */
  private static final Duration RESEND_PAUSE = Duration.ofMillis(200);

  private final TelegramClient api;
  private final Dispatcher dispatcher;
  private final int pollSeconds;
  private final List<String> allowedUpdates;
  private final boolean deleteWebhook;
  private final int maxWaiting;
  private final Backoff backoff;

  private volatile PollerState state = PollerState.IDLE;
  private volatile Cancellable inFlight;
  private volatile String lastError;
  private volatile boolean authorized;
  private volatile boolean waitingForCapacity;

  /** The last wait for room ended without a release: poll even though few slots are free. */
  private volatile boolean roomWaitTimedOut;

  private volatile long lastActivityNanos = System.nanoTime();
  private volatile PendingUpdates pending = PendingUpdates.MEMORY;
  private volatile Duration spillAfter = Duration.ofSeconds(2);
  private volatile PostgresPollerLock pollerLock;
  private volatile Duration standbyRetry = Duration.ofSeconds(3);
  private final LongAdder polls = new LongAdder();
  private volatile boolean standbyLogged;
  private volatile boolean lostLock;
  private boolean identified;
  private boolean recovered;

  /** Guards the fields below it; notified whenever an update finishes. */
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

  private final LongAdder spilledTotal = new LongAdder();
  private final LongAdder resent = new LongAdder();

  /**
   * @param api the Bot API client
   * @param dispatcher where updates go
   * @param pollSeconds long-poll timeout
   * @param allowedUpdates update types to ask for, or null for Telegram's default
   * @param deleteWebhook whether to delete a registered webhook before the first poll
   * @param maxWaiting bound on updates accepted but not yet running
   * @param minBackoff first retry delay
   * @param maxBackoff largest retry delay
   */
  public LongPoller(
      TelegramClient api,
      Dispatcher dispatcher,
      int pollSeconds,
      List<String> allowedUpdates,
      boolean deleteWebhook,
      int maxWaiting,
      Duration minBackoff,
      Duration maxBackoff) {
    this.api = api;
    this.dispatcher = dispatcher;
    this.pollSeconds = pollSeconds;
    this.allowedUpdates = allowedUpdates;
    this.deleteWebhook = deleteWebhook;
    this.maxWaiting = maxWaiting;
    this.backoff = new Backoff(minBackoff, maxBackoff);
  }

  /**
   * @param pending where spilled updates are kept (default: memory only); set before {@link #start}
   * @return this
   */
  public LongPoller pendingUpdates(PendingUpdates pending) {
    this.pending = Objects.requireNonNull(pending, "pending");
    return this;
  }

  /**
   * @param after how long batches may bring nothing new while the offset stays put before the
   *     unfinished updates are spilled
   * @return this
   */
  public LongPoller spillAfter(Duration after) {
    this.spillAfter = Objects.requireNonNull(after, "after");
    return this;
  }

  /**
   * Makes this poller one of several replicas: it polls only while it holds {@code lock}, and
   * stands by ({@link PollerState#STANDBY}) otherwise, trying again every {@code retry}.
   *
   * @param lock the election lock
   * @param retry how often a standby replica tries to take the lock
   * @return this
   */
  public LongPoller pollerLock(PostgresPollerLock lock, Duration retry) {
    this.pollerLock = Objects.requireNonNull(lock, "lock");
    this.standbyRetry = Objects.requireNonNull(retry, "retry");
    lock.onLost(this::lostLock);
    return this;
  }

  /** The lock's connection closed: stop polling at once (another replica may take over). */
  private void lostLock() {
    boolean restart;
    synchronized (this) {
      if (state != PollerState.POLLING) {
        return;
      }
      state = PollerState.STANDBY;
      lostLock = true;
      restart = inFlight != null;
      cancelInFlight();
    }
    LOG.warn("standby: the poller lock was lost; fetching stopped until it is taken again");
    if (restart) {
      subscribe(Uni.createFrom().voidItem().onItem().delayIt().by(standbyRetry), i -> next());
    }
  }

  /**
   * @return how many getUpdates requests this poller sent
   */
  public long pollCount() {
    return polls.sum();
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
    cancelInFlight();
    if (pollerLock != null) {
      pollerLock.close();
    }
  }

  private void cancelInFlight() {
    Cancellable request = inFlight;
    if (request != null) {
      request.cancel();
    }
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
    boolean leader;
    synchronized (this) {
      leader = state == PollerState.POLLING;
      if (leader) {
        state = PollerState.DRAINING;
      } else if (state == PollerState.STANDBY) {
        state = PollerState.STOPPED;
      }
      cancelInFlight();
    }
    long deadline = System.nanoTime() + grace.toNanos();
    int inWindow;
    int inSpill;
    Integer confirm;
    synchronized (lock) {
      while (unfinishedLocked() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
      inSpill = spilled.size();
      inWindow = unfinishedLocked() - inSpill;
      confirm = offset;
    }
    // Only the lock holder may call getUpdates: a standby's call would cut the leader's long poll.
    PostgresPollerLock election = pollerLock;
    if (election != null && !election.held()) {
      confirm = null;
    }
    boolean confirmed = confirm == null;
    if (confirm != null) {
      try {
        // The answer (an update at or above the offset) is not confirmed by this call: ignored.
        api.getUpdates(confirm, 1, 0, allowedUpdates).await().atMost(Duration.ofSeconds(15));
        confirmed = true;
      } catch (RuntimeException e) {
        LOG.warnf(
            "could not confirm offset %d to Telegram (%s): updates that finished since the last"
                + " poll will be delivered again to the next process",
            confirm, e.getMessage());
      }
    }
    synchronized (this) {
      if (state == PollerState.DRAINING) {
        state = PollerState.STOPPED;
      }
    }
    if (election != null) {
      election.close(); // a standby replica takes over at once
    }
    if (inWindow == 0 && inSpill == 0) {
      LOG.infof(
          "polling drained: every received update finished%s",
          confirmed && confirm != null ? "; offset " + confirm + " confirmed" : "");
    }
    if (inWindow > 0) {
      LOG.warnf(
          "%d update(s) did not finish within %s: they were not confirmed, Telegram delivers them"
              + " again to the next process",
          inWindow, grace);
    }
    if (inSpill > 0) {
      if (pending.durable()) {
        LOG.warnf(
            "%d spilled update(s) did not finish within %s: they are saved in bot_pending_update"
                + " and run again at the next start",
            inSpill, grace);
      } else {
        LOG.errorf(
            "%d spilled update(s) did not finish within %s: Telegram already confirmed them and"
                + " they are held only in memory (memory session store), so they are lost if the"
                + " process exits before they finish",
            inSpill, grace);
      }
    }
    return inWindow + inSpill;
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
    return authorized;
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
    return waitingForCapacity;
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
    synchronized (lock) {
      return offset;
    }
  }

  /**
   * @return dispatched updates that have not finished (in the window and spilled)
   */
  public int unfinished() {
    synchronized (lock) {
      return unfinishedLocked();
    }
  }

  /**
   * @return updates confirmed to Telegram before they finished, since start
   */
  public long spilledCount() {
    return spilledTotal.sum();
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
    if (!identified) {
      subscribe(identify(), ignored -> next());
      return;
    }
    PostgresPollerLock election = pollerLock;
    if (election != null && !election.held()) {
      standBy(election);
      return;
    }
    if (!recovered) {
      // Only the poller (the lock holder) runs what an earlier process saved and left unfinished.
      subscribe(recover().invoke(() -> recovered = true), ignored -> next());
      return;
    }
    // Taken before measuring capacity, so a release in between cannot be missed.
    CompletionStage<Void> release = dispatcher.nextRelease();
    int capacity = capacity();
    int seen;
    Integer from;
    boolean spill;
    synchronized (lock) {
      seen = window.size();
      from = offset;
      spill =
          seen >= TELEGRAM_MAX_LIMIT
              || (stuckOffset != null
                  && stuckOffset.equals(offset)
                  && System.nanoTime() - stuckSinceNanos >= spillAfter.toNanos());
    }
    if (spill) {
      spill();
      return;
    }
    if (capacity <= 0) {
      waitingForCapacity = true;
      release.thenRun(
          () -> {
            waitingForCapacity = false;
            next();
          });
      return;
    }
    if (capacity < seen && !roomWaitTimedOut) {
      // Each poll brings back the `seen` unconfirmed updates (decoded, then dropped) on top of at
      // most `capacity` new ones; polling at every release with a few hot chats re-fetched ten
      // updates per new one (issue 8). Wait for releases until the new part is at least as large,
      // but poll anyway after a pause without any release, so the stuck-offset spill still runs.
      subscribe(
          Uni.createFrom()
              .completionStage(release.toCompletableFuture().copy())
              .replaceWith(false)
              .ifNoItem()
              .after(RESEND_PAUSE)
              .recoverWithItem(true),
          timedOut -> {
            roomWaitTimedOut = timedOut;
            next();
          });
      return;
    }
    roomWaitTimedOut = false;
    int limit = Math.min(TELEGRAM_MAX_LIMIT, seen + capacity);
    polls.increment();
    subscribe(api.getUpdates(from, limit, pollSeconds, allowedUpdates), this::accept);
  }

  private void standBy(PostgresPollerLock election) {
    synchronized (this) {
      if (state == PollerState.POLLING) {
        state = PollerState.STANDBY;
      }
    }
    if (lostLock) {
      // Give a standby replica (retrying every standbyRetry) the first chance to take over.
      lostLock = false;
      subscribe(
          Uni.createFrom().voidItem().onItem().delayIt().by(standbyRetry.multipliedBy(2)),
          ignored -> next());
      return;
    }
    subscribe(
        election
            .tryAcquire()
            .onFailure()
            .recoverWithItem(
                e -> {
                  lastError = "poller lock: " + e.getMessage();
                  return false;
                }),
        acquired -> {
          if (acquired) {
            synchronized (this) {
              if (state != PollerState.STANDBY) {
                election.close();
                return;
              }
              state = PollerState.POLLING;
            }
            lastError = null;
            standbyLogged = false;
            LOG.info("took the poller lock: this replica polls");
            next();
          } else {
            if (!standbyLogged) {
              standbyLogged = true;
              LOG.infof(
                  "standby: another replica holds the poller lock; trying again every %s",
                  standbyRetry);
            }
            subscribe(
                Uni.createFrom().voidItem().onItem().delayIt().by(standbyRetry), ignored -> next());
          }
        });
  }

  private int capacity() {
    KeyedSerialScheduler scheduler = dispatcher.scheduler();
    int room = maxWaiting - scheduler.waiting();
    return Math.min(TELEGRAM_MAX_LIMIT, Math.min(scheduler.freeSlots(), room));
  }

  private Uni<Void> identify() {
    Uni<Void> me =
        api.getMe()
            .invoke(
                (User user) -> {
                  dispatcher.setBotUsername(user.getUserName());
                  authorized = true;
                  LOG.infof("authorized as @%s", user.getUserName());
                })
            .replaceWithVoid();
    if (deleteWebhook) {
      me = me.call(() -> api.deleteWebhook(false).invoke(() -> LOG.info("webhook deleted")));
    }
    return me.invoke(() -> identified = true);
  }

  /** Runs again the updates an earlier process spilled and did not finish. */
  private Uni<Void> recover() {
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
              synchronized (lock) {
                for (Update update : updates) {
                  spilled.put(update.getUpdateId(), update);
                }
              }
              for (Update update : updates) {
                dispatchTracked(update);
              }
            })
        .replaceWithVoid();
  }

  private void accept(List<Update> updates) {
    backoff.reset();
    lastError = null;
    List<Update> fresh = new ArrayList<>();
    int again = 0;
    boolean nothingNew;
    synchronized (lock) {
      for (Update update : updates) {
        int id = update.getUpdateId();
        // Telegram re-sends everything from the offset on: in flight, done, or spilled here.
        if ((offset != null && id < offset) || window.containsKey(id) || spilled.containsKey(id)) {
          again++;
          continue;
        }
        window.put(id, update);
        maxSeen = Math.max(maxSeen, id);
        fresh.add(update);
      }
      if (offset == null && !window.isEmpty()) {
        offset = window.firstKey();
      }
      nothingNew = fresh.isEmpty() && !updates.isEmpty();
      if (!nothingNew) {
        stuckOffset = null;
      } else if (!Objects.equals(stuckOffset, offset)) {
        stuckOffset = offset;
        stuckSinceNanos = System.nanoTime();
      }
    }
    resent.add(again);
    for (Update update : fresh) {
      dispatchTracked(update);
    }
    if (nothingNew) {
      // Telegram answers at once while something is unconfirmed: do not spin, wait for a finish.
      CompletionStage<Void> release = dispatcher.nextRelease();
      subscribe(
          Uni.createFrom()
              // A copy: cancelling the pause must not cancel the dispatcher's shared signal.
              .completionStage(release.toCompletableFuture().copy())
              .ifNoItem()
              .after(RESEND_PAUSE)
              .recoverWithUni(() -> Uni.createFrom().voidItem()),
          ignored -> next());
      return;
    }
    next();
  }

  private void dispatchTracked(Update update) {
    int id = update.getUpdateId();
    dispatcher.dispatch(update).whenComplete((outcome, failure) -> finished(id));
  }

  private void finished(int id) {
    boolean wasSpilled = false;
    synchronized (lock) {
      if (window.containsKey(id)) {
        window.put(id, DONE);
        while (!window.isEmpty() && window.firstEntry().getValue() == DONE) {
          window.pollFirstEntry();
        }
        offset = window.isEmpty() ? Integer.valueOf(maxSeen + 1) : window.firstKey();
      } else {
        wasSpilled = spilled.remove(id) != null;
        if (wasSpilled && spilled.isEmpty() && spillEpisode) {
          spillEpisode = false;
          LOG.info("every spilled update has finished");
        }
      }
      lock.notifyAll();
    }
    if (wasSpilled) {
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

  /** Saves the unfinished updates of the window, then lets the offset pass them. */
  private void spill() {
    List<Update> stuck = new ArrayList<>();
    int passTo;
    synchronized (lock) {
      for (Update update : window.values()) {
        if (update != DONE) {
          stuck.add(update);
        }
      }
      passTo = maxSeen + 1;
    }
    subscribe(pending.save(stuck), ignored -> spilled(stuck, passTo));
  }

  private void spilled(List<Update> stuck, int passTo) {
    List<Integer> finishedMeanwhile = new ArrayList<>();
    boolean episodeStarts = false;
    int held;
    synchronized (lock) {
      for (Update update : stuck) {
        int id = update.getUpdateId();
        Update now = window.get(id);
        if (now == null || now == DONE) {
          finishedMeanwhile.add(id);
        } else {
          spilled.put(id, update);
        }
      }
      window.headMap(passTo).clear();
      offset = passTo;
      stuckOffset = null;
      if (!spilled.isEmpty() && !spillEpisode) {
        spillEpisode = true;
        episodeStarts = true;
      }
      held = spilled.size();
    }
    int count = stuck.size() - finishedMeanwhile.size();
    spilledTotal.add(count);
    for (int id : finishedMeanwhile) {
      forget(id);
    }
    if (count > 0) {
      if (pending.durable()) {
        LOG.debugf(
            "%d slow update(s) saved in bot_pending_update; offset moves on to %d", count, passTo);
      } else if (episodeStarts) {
        LOG.warnf(
            "%d slow update(s) were confirmed to Telegram before they finished, so later updates"
                + " are not held up; with the memory session store they are held only in memory"
                + " and lost if the process crashes (use PostgreSQL for at-least-once). Logged"
                + " once until they have all finished.",
            held);
      }
    }
    next();
  }

  private <T> void subscribe(Uni<T> call, java.util.function.Consumer<T> onItem) {
    inFlight =
        call.subscribe()
            .with(
                item -> {
                  inFlight = null;
                  try {
                    onItem.accept(item);
                  } catch (RuntimeException e) {
                    // The loop must outlive any bug downstream of it.
                    LOG.error("the polling loop hit an unexpected error", e);
                    onFailure(e);
                  }
                },
                failure -> {
                  inFlight = null;
                  onFailure(failure);
                });
  }

  private void onFailure(Throwable failure) {
    if (state != PollerState.POLLING) {
      return;
    }
    lastError = failure.getMessage() == null ? failure.getClass().getName() : failure.getMessage();
    Duration delay = backoff.next();
    if (failure instanceof TelegramApiException api) {
      switch (api.errorCode()) {
        case 401, 404 -> {
          state = PollerState.UNAUTHORIZED;
          authorized = false;
          LOG.errorf(
              "Telegram rejected the bot token (%d %s): polling has stopped. Check BOT_TOKEN (was"
                  + " the token revoked in @BotFather?) and BOT_API_URL, then restart.",
              api.errorCode(), api.description());
          return;
        }
        case 409 ->
            LOG.warnf(
                "Telegram refused %s with 409 Conflict (%s): a webhook is set for this bot, or"
                    + " another process is polling with the same token. Set"
                    + " BOT_POLLING_DELETE_WEBHOOK=true to remove the webhook, or stop the other"
                    + " poller. Retrying in %d ms.",
                api.method(), api.description(), delay.toMillis());
        case 429 -> {
          if (api.retryAfter() != null) {
            delay = Duration.ofSeconds(api.retryAfter());
          }
          LOG.warnf("flood control on %s: retrying in %d ms", api.method(), delay.toMillis());
        }
        default ->
            LOG.warnf(
                "%s; retrying in %d ms (failure %d in a row)",
                api.getMessage(), delay.toMillis(), backoff.failures());
      }
    } else {
      LOG.warnf(
          "%s; retrying in %d ms (failure %d in a row)",
          lastError, delay.toMillis(), backoff.failures());
    }
    subscribe(Uni.createFrom().voidItem().onItem().delayIt().by(delay), ignored -> next());
  }
}
