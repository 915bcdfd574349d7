package dev.botrunner.internal.webhook;

import dev.botrunner.internal.client.BotJson;
import dev.botrunner.internal.dispatch.Outcome;
import dev.botrunner.internal.logging.RepeatedWarning;
import dev.botrunner.internal.webhook.WebhookResource.Result;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.api.methods.botapimethods.BotApiMethod;

/**
 * How a webhook post accepted by {@link WebhookResource} is answered: with the update's outcome, or
 * at {@code BOT_WEBHOOK_TIMEOUT} once the still running update is saved (500 if it cannot be, so
 * Telegram re-sends it); a 200 carries the update's held reply when it has one ({@code
 * BOT_WEBHOOK_REPLY}).
 */
final class WebhookAnswer {

  // The endpoint's category, so log settings made for it cover its answers.
  private static final Logger LOG = Logger.getLogger(WebhookResource.class);

  /** How often the same failure at the deadline is logged while it repeats (an outage). */
  static final Duration REPEATED_WARNING_EVERY = Duration.ofSeconds(5);

  private final RepeatedWarning notSaved = new RepeatedWarning(LOG, REPEATED_WARNING_EVERY);
  private final long timeoutMillis;
  private final boolean retryOnError;
  private final WebhookLeases leases;
  private final Consumer<Result> record;

  /**
   * @param timeoutMillis {@code BOT_WEBHOOK_TIMEOUT}
   * @param retryOnError {@code BOT_WEBHOOK_RETRY_ON_ERROR}
   * @param leases where an update still running at the deadline is saved
   * @param record counts each answer by kind
   */
  WebhookAnswer(
      long timeoutMillis, boolean retryOnError, WebhookLeases leases, Consumer<Result> record) {
    this.timeoutMillis = timeoutMillis;
    this.retryOnError = retryOnError;
    this.leases = leases;
    this.record = record;
  }

  /** Answers when the outcome arrives or at the deadline, whichever is first. */
  void answer(RoutingContext rc, int id, CompletionStage<Outcome> outcome, boolean duplicate) {
    Vertx vertx = rc.vertx();
    Context context = vertx.getOrCreateContext();
    AtomicBoolean answered = new AtomicBoolean();
    long timer =
        vertx.setTimer(
            timeoutMillis,
            ignored -> {
              if (answered.get()) {
                return;
              }
              durable(outcome)
                  .whenComplete(
                      (saved, failure) -> {
                        // Finishing meanwhile answers with the outcome instead; nothing to do then.
                        if (!answered.compareAndSet(false, true)) {
                          return;
                        }
                        if (failure != null) {
                          if (!duplicate) {
                            record.accept(Result.NOT_SAVED);
                          }
                          notSaved.warn(
                              "update "
                                  + id
                                  + " still runs after "
                                  + timeoutMillis
                                  + " ms and could not be saved ("
                                  + failure.getMessage()
                                  + "): answered 500, Telegram re-sends it");
                          context.runOnContext(v -> end(rc.response(), 500));
                          return;
                        }
                        if (!duplicate) {
                          record.accept(Result.DEADLINE);
                          LOG.infof(
                              "update %d still runs after %d ms: %s, answered 200, it goes on",
                              id,
                              timeoutMillis,
                              leases.durable() ? "saved in bot_pending_update" : "in memory only");
                        }
                        context.runOnContext(v -> answerOk(rc.response(), outcome));
                      });
            });
    outcome.whenComplete(
        (result, failure) -> {
          Outcome end = failure == null ? result : Outcome.FAILED;
          if (!answered.compareAndSet(false, true)) {
            if (!duplicate) {
              LOG.infof("update %d, answered at the deadline, ended: %s", id, end);
            }
            return;
          }
          vertx.cancelTimer(timer);
          if (!duplicate) {
            record.accept(end == Outcome.FAILED ? Result.FAILED : Result.PROCESSED);
          }
          boolean retry = end == Outcome.FAILED && retryOnError;
          context.runOnContext(
              ignored -> {
                if (retry) {
                  end(rc.response(), 500);
                } else {
                  answerOk(rc.response(), outcome);
                }
              });
        });
  }

  /** Completes when the update is done or saved; fails when it could be neither. */
  private CompletionStage<Void> durable(CompletionStage<Outcome> outcome) {
    if (outcome instanceof Accepted accepted) {
      return accepted.durable();
    }
    return CompletableFuture.completedFuture(null);
  }

  /**
   * Answers 200, with the update's reply as the body when it holds one ({@code BOT_WEBHOOK_REPLY}):
   * Telegram then makes that call. A connection already closed takes nothing, so a re-sent post's
   * answer may still carry it.
   */
  private static void answerOk(HttpServerResponse response, CompletionStage<Outcome> outcome) {
    if (response.ended() || response.closed()) {
      return;
    }
    BotApiMethod<?> call = outcome instanceof Accepted accepted ? accepted.takeReply() : null;
    if (call == null) {
      response.setStatusCode(200).end();
      return;
    }
    byte[] body;
    try {
      body = BotJson.MAPPER.writeValueAsBytes(call);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    response
        .setStatusCode(200)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(Buffer.buffer(body));
  }

  static void end(HttpServerResponse response, int status) {
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status).end();
  }
}
