package dev.botrunner.update;

import dev.botrunner.dispatch.Dispatcher;
import dev.botrunner.dispatch.KeyedSerialScheduler;
import dev.botrunner.telegram.Backoff;
import dev.botrunner.telegram.TelegramApiException;
import dev.botrunner.telegram.TelegramClient;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.User;

/**
 * The {@code getUpdates} loop. It asks for at most as many updates as the runner can start (free
 * slots, and room in the waiting queue), so never more than the concurrency limit run and memory
 * stays bounded, from the first batch on. One request at a time; failures are retried with backoff,
 * except a rejected token, which stops the loop.
 */
public final class LongPoller {

  private static final Logger LOG = Logger.getLogger(LongPoller.class);
  private static final int TELEGRAM_MAX_LIMIT = 100;

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
  private volatile long lastActivityNanos = System.nanoTime();
  private Integer offset;
  private boolean identified;

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

  /** Starts the loop: getMe, optionally deleteWebhook, then getUpdates until stopped. */
  public synchronized void start() {
    if (state != PollerState.IDLE) {
      return;
    }
    state = PollerState.POLLING;
    LOG.infof("long polling started (timeout %d s)", pollSeconds);
    next();
  }

  /** Stops fetching; updates already dispatched go on. */
  public synchronized void stop() {
    if (state == PollerState.POLLING) {
      state = PollerState.STOPPED;
    }
    Cancellable request = inFlight;
    if (request != null) {
      request.cancel();
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
   * @return the offset of the next getUpdates call (everything below it is confirmed to Telegram),
   *     or null before the first batch; read racily, for the polling-lag gauge
   */
  public Integer offset() {
    return offset;
  }

  private void next() {
    lastActivityNanos = System.nanoTime();
    if (state != PollerState.POLLING) {
      return;
    }
    if (!identified) {
      subscribe(identify(), ignored -> next());
      return;
    }
    // Taken before measuring capacity, so a release in between cannot be missed.
    CompletionStage<Void> release = dispatcher.nextRelease();
    int limit = limit();
    if (limit <= 0) {
      waitingForCapacity = true;
      release.thenRun(
          () -> {
            waitingForCapacity = false;
            next();
          });
      return;
    }
    subscribe(api.getUpdates(offset, limit, pollSeconds, allowedUpdates), this::accept);
  }

  private int limit() {
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

  private void accept(List<Update> updates) {
    backoff.reset();
    lastError = null;
    for (Update update : updates) {
      int id = update.getUpdateId();
      // Telegram may resend what we already took if an offset was lost in transit.
      if (offset != null && id < offset) {
        continue;
      }
      offset = id + 1;
      dispatcher.dispatch(update);
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
    lastError = failure.getMessage();
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
          failure.getMessage(), delay.toMillis(), backoff.failures());
    }
    subscribe(Uni.createFrom().voidItem().onItem().delayIt().by(delay), ignored -> next());
  }
}
