package dev.botrunner.internal.dispatch;

import dev.botrunner.Bot;
import dev.botrunner.UpdateKeyFunction;
import dev.botrunner.internal.client.TelegramClient;
import dev.botrunner.internal.context.WebhookReply;
import dev.botrunner.internal.store.ConflictPolicy;
import dev.botrunner.internal.store.MemorySessionStore;
import dev.botrunner.internal.store.SessionMetrics;
import dev.botrunner.internal.store.SessionStore;
import dev.botrunner.internal.unit.Units;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Takes updates from any source and runs each through the bot: keys from the key function, a turn
 * from the {@link KeyedSerialScheduler}, then {@link UpdateProcessing} (middleware on a worker
 * thread, the session write). The returned stage tells the source when the update's keys were
 * released: when it ended or when {@link UpdateTimeout} gave up waiting.
 */
public final class Dispatcher {

  /** How often a drain looks again when no update finished meanwhile. */
  private static final Duration IDLE_POLL = Duration.ofMillis(100);

  private static final Logger LOG = Logger.getLogger(Dispatcher.class);

  private final KeyedSerialScheduler scheduler;
  private final UpdateKeyFunction keyFunction;
  private final DispatchCounters counters = new DispatchCounters();
  private final ReleaseSignal release = new ReleaseSignal();
  private final UpdateProcessing processing;
  // Null when updates have no time limit, so the hot path pays one null check and no timer task.
  private final UpdateTimeout timeout;
  private volatile DispatchListener listener = DispatchListener.NONE;

  /**
   * Starts a dispatcher's settings; every setting not named keeps the default the builder
   * documents.
   *
   * @param bot the middleware
   * @return the builder
   */
  public static Builder builder(Bot bot) {
    return new Builder(bot);
  }

  private Dispatcher(Builder b) {
    this.scheduler = new KeyedSerialScheduler(b.concurrency);
    this.keyFunction = b.keyFunction;
    this.processing =
        new UpdateProcessing(
            b.bot, b.api, b.sessions, b.workers, b.blocking, b.metrics, b.onConflict, counters);
    this.timeout = b.updateTimeout == null ? null : new UpdateTimeout(b.updateTimeout, counters);
  }

  /** Stops the timeout timer. */
  public void close() {
    if (timeout != null) {
      timeout.close();
    }
  }

  /**
   * @param username the bot's username, learnt from getMe, so commands addressed to other bots can
   *     be told apart
   */
  public void setBotUsername(String username) {
    processing.setBotUsername(username);
  }

  /**
   * @param units the application's units of work (with its configured outbox lease), replacing the
   *     default ones made over a PostgreSQL store
   */
  public void setUnits(Units units) {
    processing.setUnits(units);
  }

  /**
   * @param vertx the Vert.x instance whose event loops run middleware's event-loop code ({@code
   *     BotContext.onEventLoop}); without it, that code fails with a message saying so
   */
  public void setVertx(Vertx vertx) {
    processing.setVertx(vertx);
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
    return dispatch(update, null);
  }

  /**
   * Queues an update from a webhook post whose answer may carry the update's reply ({@code
   * BOT_WEBHOOK_REPLY}).
   *
   * @param update the update
   * @param reply the post's answer, or null
   * @return as {@link #dispatch(Update)}
   */
  public CompletionStage<Outcome> dispatch(Update update, WebhookReply reply) {
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
          return start(update, reply, outcome);
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

  private CompletionStage<Outcome> start(
      Update update, WebhookReply reply, CompletableFuture<Outcome> outcome) {
    CompletableFuture<Outcome> finished = processing.process(update, reply);
    ScheduledFuture<?> deadline = timeout == null ? null : timeout.arm(update, outcome);
    finished.whenComplete(
        (result, failure) -> {
          Outcome end = failure == null ? result : Outcome.FAILED;
          if (deadline != null) {
            deadline.cancel(false);
          }
          // Counted before the outcome is published: whoever sees the outcome must see it
          // counted.
          if (end == Outcome.DONE) {
            counters.countDone();
          } else {
            counters.countFailed();
          }
          if (!outcome.complete(end)) {
            LOG.warnf("update %d ended after its timeout: %s", update.getUpdateId(), end);
          }
          release.signal();
        });
    return outcome;
  }

  /**
   * @return the session counters
   */
  public SessionMetrics sessionMetrics() {
    return processing.metrics();
  }

  /**
   * @return completes the next time an update's keys are released: a source that stopped because
   *     the runner was full waits on this
   */
  public CompletionStage<Void> nextRelease() {
    return release.next();
  }

  /**
   * Waits until nothing runs or waits in the scheduler, or {@code grace} passed.
   *
   * @param grace the longest wait
   * @return how many updates still run or wait
   * @throws InterruptedException when the waiting thread is interrupted
   */
  public int awaitIdle(Duration grace) throws InterruptedException {
    long deadline = System.nanoTime() + grace.toNanos();
    while (scheduler.pending() > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        nextRelease()
            .toCompletableFuture()
            .get(Math.min(left, IDLE_POLL.toNanos()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // look again
      }
    }
    return scheduler.pending();
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
    return counters.done();
  }

  /**
   * @return updates that failed (including late failures of timed-out updates)
   */
  public long failedCount() {
    return counters.failed();
  }

  /**
   * @return redelivered updates skipped because they were recorded as processed
   */
  public long duplicateCount() {
    return counters.duplicates();
  }

  /**
   * @return updates that ran past the update timeout
   */
  public long timedOutCount() {
    return counters.timedOut();
  }

  /** A {@link Dispatcher}'s settings, each named where it is set. */
  public static final class Builder {

    /** Updates run at once when no concurrency is named; BOT_CONCURRENCY's default too. */
    public static final int DEFAULT_CONCURRENCY = 500;

    private final Bot bot;
    private int concurrency = DEFAULT_CONCURRENCY;
    private UpdateKeyFunction keyFunction = new SessionKeyFunction();
    private TelegramClient api;
    private SessionStore sessions = new MemorySessionStore();
    private Executor workers = Infrastructure.getDefaultWorkerPool();
    private Executor blocking = Infrastructure.getDefaultWorkerPool();
    private Duration updateTimeout;
    private SessionMetrics metrics = new SessionMetrics();
    private ConflictPolicy onConflict = ConflictPolicy.FAIL;

    private Builder(Bot bot) {
      this.bot = Objects.requireNonNull(bot, "bot");
    }

    /**
     * @param concurrency how many updates run at once (default {@value #DEFAULT_CONCURRENCY})
     * @return this
     */
    public Builder concurrency(int concurrency) {
      this.concurrency = concurrency;
      return this;
    }

    /**
     * @param keyFunction gives each update its keys (default: {@link SessionKeyFunction})
     * @return this
     */
    public Builder keys(UpdateKeyFunction keyFunction) {
      this.keyFunction = Objects.requireNonNull(keyFunction, "keyFunction");
      return this;
    }

    /**
     * @param api the Bot API client handed to middleware (default none: a call fails)
     * @return this
     */
    public Builder api(TelegramClient api) {
      this.api = api;
      return this;
    }

    /**
     * @param sessions the session store (default: a new {@link MemorySessionStore})
     * @return this
     */
    public Builder sessions(SessionStore sessions) {
      this.sessions = Objects.requireNonNull(sessions, "sessions");
      return this;
    }

    /**
     * @param workers runs middleware; blocking handlers are allowed there (default: Mutiny's worker
     *     pool)
     * @return this
     */
    public Builder workers(Executor workers) {
      this.workers = Objects.requireNonNull(workers, "workers");
      return this;
    }

    /**
     * @param blocking runs blocking handlers reached on an event loop (default: Mutiny's worker
     *     pool); with middleware on workers, pass the same executor to {@link #workers}
     * @return this
     */
    public Builder blocking(Executor blocking) {
      this.blocking = Objects.requireNonNull(blocking, "blocking");
      return this;
    }

    /**
     * @param updateTimeout releases an update's keys after this long, or null for no limit
     *     (default)
     * @return this
     */
    public Builder updateTimeout(Duration updateTimeout) {
      this.updateTimeout = updateTimeout;
      return this;
    }

    /**
     * @param metrics session counters (default: new ones)
     * @return this
     */
    public Builder sessionMetrics(SessionMetrics metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    /**
     * @param onConflict what to do when a session write loses to another writer (default {@link
     *     ConflictPolicy#FAIL})
     * @return this
     */
    public Builder onConflict(ConflictPolicy onConflict) {
      this.onConflict = Objects.requireNonNull(onConflict, "onConflict");
      return this;
    }

    /**
     * @return the dispatcher; close it with {@link Dispatcher#close()}
     */
    public Dispatcher build() {
      return new Dispatcher(this);
    }
  }
}
