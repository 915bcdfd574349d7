package dev.botrunner.dispatch;

import dev.botrunner.middleware.Bot;
import dev.botrunner.middleware.BotContext;
import dev.botrunner.middleware.ErrorReporting;
import dev.botrunner.middleware.Next;
import dev.botrunner.session.ConflictPolicy;
import dev.botrunner.session.DuplicateUpdateException;
import dev.botrunner.session.Session;
import dev.botrunner.session.SessionConflictException;
import dev.botrunner.session.SessionKey;
import dev.botrunner.session.SessionMetrics;
import dev.botrunner.session.SessionStore;
import dev.botrunner.telegram.TelegramClient;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Takes updates from any source and runs each through the bot: keys from the key function, a turn
 * from the {@link KeyedSerialScheduler}, middleware on a worker thread, then the session write. The
 * returned stage tells the source when the update's keys were released.
 */
public final class Dispatcher {

  private static final Logger LOG = Logger.getLogger(Dispatcher.class);

  private final KeyedSerialScheduler scheduler;
  private final UpdateKeyFunction keyFunction;
  private final Bot bot;
  private final TelegramClient api;
  private final SessionStore sessions;
  private final Executor workers;
  private final Duration updateTimeout;
  private final ScheduledExecutorService timer;
  private final SessionMetrics metrics;
  private final ConflictPolicy onConflict;

  private final LongAdder done = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder timedOut = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final AtomicReference<CompletableFuture<Void>> released =
      new AtomicReference<>(new CompletableFuture<>());
  private volatile String botUsername;
  private volatile DispatchListener listener = DispatchListener.NONE;

  /**
   * @param scheduler orders and limits the updates
   * @param keyFunction gives each update its keys
   * @param bot the middleware
   * @param api the Bot API client handed to middleware
   * @param sessions the session store
   * @param workers runs middleware (blocking handlers are allowed there)
   * @param updateTimeout releases an update's keys after this long, or null for no limit
   */
  public Dispatcher(
      KeyedSerialScheduler scheduler,
      UpdateKeyFunction keyFunction,
      Bot bot,
      TelegramClient api,
      SessionStore sessions,
      Executor workers,
      Duration updateTimeout) {
    this(
        scheduler,
        keyFunction,
        bot,
        api,
        sessions,
        workers,
        updateTimeout,
        new SessionMetrics(),
        ConflictPolicy.FAIL);
  }

  /**
   * @param scheduler orders and limits the updates
   * @param keyFunction gives each update its keys
   * @param bot the middleware
   * @param api the Bot API client handed to middleware
   * @param sessions the session store
   * @param workers runs middleware (blocking handlers are allowed there)
   * @param updateTimeout releases an update's keys after this long, or null for no limit
   * @param metrics session counters
   * @param onConflict what to do when a session write loses to another writer
   */
  public Dispatcher(
      KeyedSerialScheduler scheduler,
      UpdateKeyFunction keyFunction,
      Bot bot,
      TelegramClient api,
      SessionStore sessions,
      Executor workers,
      Duration updateTimeout,
      SessionMetrics metrics,
      ConflictPolicy onConflict) {
    this.metrics = metrics;
    this.onConflict = onConflict;
    this.scheduler = scheduler;
    this.keyFunction = keyFunction;
    this.bot = bot;
    this.api = api;
    this.sessions = sessions;
    this.workers = workers;
    this.updateTimeout = updateTimeout;
    this.timer = updateTimeout == null ? null : newTimer();
  }

  private static ScheduledExecutorService newTimer() {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread thread = new Thread(task, "botrunner-update-timeout");
              thread.setDaemon(true);
              return thread;
            });
    // Most deadlines are cancelled because the update finished; do not keep them queued.
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  /** Stops the timeout timer. */
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /**
   * @param username the bot's username, learnt from getMe, so commands addressed to other bots can
   *     be told apart
   */
  public void setBotUsername(String username) {
    this.botUsername = username;
  }

  /**
   * @param listener told when each update is submitted, started and ended (metrics)
   */
  public void setListener(DispatchListener listener) {
    this.listener = listener == null ? DispatchListener.NONE : listener;
  }

  /**
   * Queues an update; it runs when it is first in line for all its keys and a slot is free.
   *
   * @param update the update
   * @return completes when the update's keys are released (finished, failed or timed out); never
   *     completes exceptionally
   */
  public CompletionStage<Outcome> dispatch(Update update) {
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    DispatchListener observer = listener;
    observer.submitted(update);
    long submitted = System.nanoTime();
    scheduler.submit(
        keysOf(update),
        () -> {
          long started = System.nanoTime();
          observer.started(update, started - submitted);
          outcome.thenAccept(end -> observer.ended(update, end, System.nanoTime() - started));
          return start(update, outcome);
        });
    return outcome;
  }

  private Collection<?> keysOf(Update update) {
    try {
      Collection<?> keys = keyFunction.keys(update);
      return keys == null ? List.of() : keys;
    } catch (RuntimeException e) {
      // Dropping the update would lose it; running it unordered is the lesser harm, and versioned
      // sessions still catch a conflicting write.
      LOG.errorf(
          e, "the key function failed on update %d; it runs unordered", update.getUpdateId());
      return List.of();
    }
  }

  private CompletionStage<Outcome> start(Update update, CompletableFuture<Outcome> outcome) {
    CompletableFuture<Outcome> finished = process(update).subscribeAsCompletionStage();
    ScheduledFuture<?> deadline =
        updateTimeout == null
            ? null
            : timer.schedule(
                () -> {
                  // Counted before the outcome is published, as done and failed are: whoever sees
                  // TIMED_OUT must see it counted. Undone if the update finished first.
                  timedOut.increment();
                  if (!outcome.complete(Outcome.TIMED_OUT)) {
                    timedOut.decrement();
                  } else {
                    LOG.warnf(
                        "update %d is still running after %s; its keys are released, it goes on",
                        update.getUpdateId(), updateTimeout);
                  }
                },
                updateTimeout.toMillis(),
                TimeUnit.MILLISECONDS);
    finished.whenComplete(
        (result, failure) -> {
          Outcome end = failure == null ? result : Outcome.FAILED;
          if (deadline != null) {
            deadline.cancel(false);
          }
          if (end == Outcome.DONE) {
            done.increment();
          } else {
            failed.increment();
          }
          if (!outcome.complete(end)) {
            LOG.warnf("update %d ended after its timeout: %s", update.getUpdateId(), end);
          }
          signalRelease();
        });
    return outcome;
  }

  /**
   * Skips an update recorded as processed (a redelivery after a crash, a re-sent webhook post),
   * else runs it. If the lookup fails the update runs: at worst twice, never lost.
   */
  private Uni<Outcome> process(Update update) {
    int id = update.getUpdateId();
    return sessions
        .isProcessed(id)
        .onFailure()
        .recoverWithItem(
            e -> {
              LOG.warnf("update %d: %s; it runs", id, e.getMessage());
              return false;
            })
        .chain(
            seen -> {
              if (seen) {
                skipDuplicate(id);
                return Uni.createFrom().item(Outcome.DONE);
              }
              return attempt(update, 0);
            });
  }

  private void skipDuplicate(int id) {
    duplicates.increment();
    LOG.infof("update %d was already processed: skipped", id);
  }

  /** Runs the middleware and writes the session; a lost session write may rerun it. */
  private Uni<Outcome> attempt(Update update, int retries) {
    BotContext ctx =
        new BotContext(
            update, api, new Session(SessionKey.of(update), sessions, metrics), botUsername);
    return Uni.createFrom()
        .deferred(() -> bot.handle(ctx, Next.END))
        .runSubscriptionOn(workers)
        .call(ctx::settled)
        .call(() -> commit(ctx, update.getUpdateId()))
        .replaceWith(Outcome.DONE)
        .onFailure()
        .recoverWithUni(
            failure -> {
              if (failure instanceof DuplicateUpdateException) {
                // Another run of this update committed first; this one's write was rolled back.
                skipDuplicate(update.getUpdateId());
                return ctx.callsDone().replaceWith(Outcome.DONE);
              }
              SessionConflictException conflict = conflictIn(failure);
              if (conflict != null) {
                metrics.conflict();
                if (onConflict.retry() && retries < onConflict.maxRetries()) {
                  LOG.warnf(
                      "update %d: %s; rerunning its middleware on fresh session data (retry %d"
                          + " of %d)",
                      update.getUpdateId(),
                      conflict.getMessage(),
                      retries + 1,
                      onConflict.maxRetries());
                  return ctx.callsDone().chain(() -> attempt(update, retries + 1));
                }
                LOG.warnf("update %d: %s", update.getUpdateId(), conflict.getMessage());
              }
              return ErrorReporting.report(bot.errorHandler(), ctx, failure)
                  .call(ctx::callsDone)
                  .replaceWith(Outcome.FAILED);
            });
  }

  /** Writes the session with the update's id; records the id alone when nothing was written. */
  private Uni<Void> commit(BotContext ctx, int updateId) {
    return ctx.session()
        .commit(updateId)
        .chain(
            recorded ->
                recorded
                    ? Uni.createFrom().voidItem()
                    : sessions
                        .markProcessed(updateId)
                        .onFailure()
                        .recoverWithUni(
                            e -> {
                              // The update's work is done; a redelivery would run it again.
                              LOG.warnf("update %d: %s", updateId, e.getMessage());
                              return Uni.createFrom().voidItem();
                            }));
  }

  private static SessionConflictException conflictIn(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SessionConflictException conflict) {
        return conflict;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  /**
   * @return the session counters
   */
  public SessionMetrics sessionMetrics() {
    return metrics;
  }

  private void signalRelease() {
    released.getAndSet(new CompletableFuture<>()).complete(null);
  }

  /**
   * @return completes the next time an update's keys are released: a source that stopped because
   *     the runner was full waits on this
   */
  public CompletionStage<Void> nextRelease() {
    return released.get();
  }

  /**
   * @return the scheduler, for its gauges and free-slot count
   */
  public KeyedSerialScheduler scheduler() {
    return scheduler;
  }

  /**
   * @return updates that finished successfully
   */
  public long doneCount() {
    return done.sum();
  }

  /**
   * @return updates that failed (including late failures of timed-out updates)
   */
  public long failedCount() {
    return failed.sum();
  }

  /**
   * @return redelivered updates skipped because they were recorded as processed
   */
  public long duplicateCount() {
    return duplicates.sum();
  }

  /**
   * @return updates that ran past the update timeout
   */
  public long timedOutCount() {
    return timedOut.sum();
  }
}
