package dev.botrunner.internal.polling;

import dev.botrunner.TelegramApiException;
import dev.botrunner.internal.client.Backoff;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Decides what the polling loop does after a failed step, and explains it in the log: a rejected
 * token (401, 404) stops polling, because retrying cannot fix it; flood control (429) waits {@code
 * retry_after}; a conflict (409) names its two causes and their fixes; everything else (network,
 * 5xx) is retried with capped exponential backoff. Not thread-safe: the loop runs one step at a
 * time.
 */
final class PollFailurePolicy {

  /** The polling loop's category, so that one log setting covers the whole loop. */
  private static final Logger LOG = Logger.getLogger(LongPoller.class);

  private final Backoff backoff;

  /**
   * @param minBackoff first retry delay
   * @param maxBackoff largest retry delay
   */
  PollFailurePolicy(Duration minBackoff, Duration maxBackoff) {
    this.backoff = new Backoff(minBackoff, maxBackoff);
  }

  /** A step succeeded: the next failure starts the backoff again from its first delay. */
  void succeeded() {
    backoff.reset();
  }

  /**
   * @param failure what a step failed with
   * @return its description for health checks (never a token: transport errors are redacted)
   */
  static String describe(Throwable failure) {
    return failure.getMessage() == null ? failure.getClass().getName() : failure.getMessage();
  }

  /**
   * Records a failure and logs what happens next.
   *
   * @param failure what the step failed with
   * @return how long to wait before polling again, or null when polling must stop
   */
  Duration retryDelay(Throwable failure) {
    Duration delay = backoff.next();
    if (failure instanceof TelegramApiException api) {
      switch (api.errorCode()) {
        case 401, 404 -> {
          LOG.errorf(
              "Telegram rejected the bot token (%d %s): polling has stopped. Check BOT_TOKEN (was"
                  + " the token revoked in @BotFather?) and BOT_API_URL, then restart.",
              api.errorCode(), api.description());
          return null;
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
          describe(failure), delay.toMillis(), backoff.failures());
    }
    return delay;
  }
}
