package dev.botrunner.internal.polling;

import dev.botrunner.internal.client.TelegramClient;
import dev.botrunner.internal.dispatch.Dispatcher;
import dev.botrunner.internal.store.PendingUpdates;
import dev.botrunner.internal.store.PostgresPollerLock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A {@link LongPoller}'s settings, each named where it is set ({@link LongPoller#builder}); every
 * setting not named keeps the default documented here.
 */
public final class LongPollerBuilder {

  /** Long-poll time when none is named; BOT_POLLING_TIMEOUT's default too. */
  public static final int DEFAULT_POLL_SECONDS = 30;

  /** Updates accepted but not yet running when no bound is named; BOT_MAX_WAITING's default. */
  public static final int DEFAULT_MAX_WAITING = 5000;

  /** First retry delay after a failed poll when none is named; BOT_POLLING_MIN_BACKOFF's too. */
  public static final Duration DEFAULT_MIN_BACKOFF = Duration.ofMillis(500);

  /** Largest retry delay when none is named; BOT_POLLING_MAX_BACKOFF's default too. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

  /** The lookahead when none is named: as many as the dispatcher's concurrency limit. */
  static final int LOOKAHEAD_OF_THE_LIMIT = -1;

  final TelegramClient api;
  final Dispatcher dispatcher;
  int pollSeconds = DEFAULT_POLL_SECONDS;
  List<String> allowedUpdates;
  boolean deleteWebhook;
  int maxWaiting = DEFAULT_MAX_WAITING;
  Duration minBackoff = DEFAULT_MIN_BACKOFF;
  Duration maxBackoff = DEFAULT_MAX_BACKOFF;
  PendingUpdates pending;
  Duration spillAfter = FetchStep.SPILL_AFTER;
  Duration resendGap = FetchStep.RESEND_GAP;
  PostgresPollerLock lock;
  Duration lockRetry;
  int lookahead = LOOKAHEAD_OF_THE_LIMIT;

  LongPollerBuilder(TelegramClient api, Dispatcher dispatcher) {
    this.api = Objects.requireNonNull(api, "api");
    this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
  }

  /**
   * @param pollSeconds how long Telegram may hold a poll when no update is pending (default {@value
   *     #DEFAULT_POLL_SECONDS})
   * @return this
   */
  public LongPollerBuilder pollSeconds(int pollSeconds) {
    this.pollSeconds = pollSeconds;
    return this;
  }

  /**
   * @param allowedUpdates update types to ask for, or null for Telegram's default (default)
   * @return this
   */
  public LongPollerBuilder allowedUpdates(List<String> allowedUpdates) {
    this.allowedUpdates = allowedUpdates;
    return this;
  }

  /**
   * @param deleteWebhook whether to delete a registered webhook before the first poll (default
   *     false)
   * @return this
   */
  public LongPollerBuilder deleteWebhook(boolean deleteWebhook) {
    this.deleteWebhook = deleteWebhook;
    return this;
  }

  /**
   * @param maxWaiting bound on updates accepted but not yet running (default {@value
   *     #DEFAULT_MAX_WAITING})
   * @return this
   */
  public LongPollerBuilder maxWaiting(int maxWaiting) {
    this.maxWaiting = maxWaiting;
    return this;
  }

  /**
   * @param min first retry delay after a failed poll (default {@link #DEFAULT_MIN_BACKOFF})
   * @param max largest retry delay (default {@link #DEFAULT_MAX_BACKOFF})
   * @return this
   */
  public LongPollerBuilder backoff(Duration min, Duration max) {
    this.minBackoff = Objects.requireNonNull(min, "min");
    this.maxBackoff = Objects.requireNonNull(max, "max");
    return this;
  }

  /**
   * @param pending where fetched updates are saved before they are confirmed (default: memory only,
   *     which saves nothing and keeps the watermark)
   * @return this
   */
  public LongPollerBuilder pendingUpdates(PendingUpdates pending) {
    this.pending = Objects.requireNonNull(pending, "pending");
    return this;
  }

  /**
   * @param after how long batches may bring nothing new while the offset stays put before the
   *     unfinished updates are spilled (the watermark's rule: memory store, or failing saves;
   *     default {@link FetchStep#SPILL_AFTER})
   * @return this
   */
  public LongPollerBuilder spillAfter(Duration after) {
    this.spillAfter = Objects.requireNonNull(after, "after");
    return this;
  }

  /**
   * @param gap least time between two polls while fetched updates are unconfirmed (default {@link
   *     FetchStep#RESEND_GAP})
   * @return this
   */
  public LongPollerBuilder resendGap(Duration gap) {
    this.resendGap = Objects.requireNonNull(gap, "gap");
    return this;
  }

  /**
   * @param lookahead how many fetched updates may wait for a slot on top of the free slots
   *     (default: as many as the concurrency limit); 0 fetches only for free slots
   * @return this
   */
  public LongPollerBuilder lookahead(int lookahead) {
    if (lookahead < 0) {
      throw new IllegalArgumentException("lookahead must not be negative: " + lookahead);
    }
    this.lookahead = lookahead;
    return this;
  }

  /**
   * Makes the poller one of several replicas: it polls only while it holds {@code lock}, and stands
   * by ({@link PollerState#STANDBY}) otherwise, waiting for the lock in PostgreSQL's queue, so that
   * it polls as soon as the holder lets go. Default: the only poller, no lock.
   *
   * @param lock the election lock
   * @param retry how long to wait before trying again after the lock's database could not be
   *     reached, or after this replica lost the lock
   * @return this
   */
  public LongPollerBuilder pollerLock(PostgresPollerLock lock, Duration retry) {
    this.lock = Objects.requireNonNull(lock, "lock");
    this.lockRetry = Objects.requireNonNull(retry, "retry");
    return this;
  }

  /**
   * @return the poller, idle until {@link LongPoller#start}
   */
  public LongPoller build() {
    return new LongPoller(this);
  }
}
