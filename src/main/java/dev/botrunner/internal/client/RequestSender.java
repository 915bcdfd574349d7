package dev.botrunner.internal.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.botrunner.TelegramApiException;
import dev.botrunner.internal.propagation.OwnPipeline;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Carries out one Bot API request: the {@link RetryPolicy} around it; the optional {@link Throttle}
 * for each attempt of a sending method; optionally one more request to the new chat id when a group
 * became a supergroup; and {@link ApiCallStats} for each HTTP attempt, which the {@link
 * BotApiTransport} makes. {@link TelegramClient} builds the requests.
 */
final class RequestSender {

  private static final Logger LOG = Logger.getLogger(RequestSender.class);

  private final BotApiTransport transport;
  private final RetryPolicy retries;
  private final Throttle throttle;
  private final boolean followMigration;
  private final ApiCallStats stats = new ApiCallStats();

  /**
   * @param throttle null when throttling is off
   * @param followMigration whether a request is sent again to the supergroup a chat became
   */
  RequestSender(
      BotApiTransport transport, RetryPolicy retries, Throttle throttle, boolean followMigration) {
    this.transport = transport;
    this.retries = retries;
    this.throttle = throttle;
    this.followMigration = followMigration;
  }

  RetryPolicy retries() {
    return retries;
  }

  Throttle throttle() {
    return throttle;
  }

  ApiCallStats stats() {
    return stats;
  }

  /** Sends, and once more to the new chat when a group became a supergroup (if enabled). */
  <T> CompletableFuture<T> sendFollowing(ApiRequest<T> request, boolean retry) {
    CompletableFuture<T> first = send(request, retry);
    if (!followMigration || request.chatId() == null) {
      return first;
    }
    return first.exceptionallyCompose(
        failed -> {
          Throwable e = OwnPipeline.unwrap(failed);
          if (!(e instanceof TelegramApiException api) || api.migrateToChatId() == null) {
            return CompletableFuture.failedFuture(e);
          }
          long to = api.migrateToChatId();
          LOG.infof(
              "%s: chat %s became supergroup %d; sent there instead (update stored chat ids)",
              request.method(), request.chatId(), to);
          return send(request.onChat(to), retry);
        });
  }

  /** Sends with the throttle and, if {@code retry}, the retry policy; no migration is followed. */
  <T> CompletableFuture<T> send(ApiRequest<T> request, boolean retry) {
    String chat = request.chatId();
    boolean throttled = throttle != null && chat != null && Throttle.counts(request.method());
    Supplier<CompletableFuture<T>> attempt =
        throttled
            ? () -> throttle.acquireNow(request.method(), chat).thenCompose(x -> once(request))
            : () -> once(request);
    if (retry) {
      return retries.start(attempt);
    }
    try {
      return attempt.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private <T> CompletableFuture<T> once(ApiRequest<T> request) {
    long start = System.nanoTime();
    CompletableFuture<BotApiTransport.Answer> sent;
    if (request.multipart()) {
      sent =
          OwnPipeline.toFuture(
              transport.post(
                  request.method(),
                  Multipart.form(request.params(), request.files()),
                  request.timeout()));
    } else {
      byte[] json;
      try {
        json = BotJson.MAPPER.writeValueAsBytes(request.params());
      } catch (JsonProcessingException e) {
        return CompletableFuture.failedFuture(
            new IllegalArgumentException(
                "cannot encode " + request.method() + ": " + e.getMessage()));
      }
      sent = transport.postNow(request.method(), json, request.timeout());
    }
    return sent.handle(
        (answer, failed) -> {
          Throwable failure = failed == null ? null : OwnPipeline.unwrap(failed);
          T item = null;
          if (failure == null) {
            try {
              item = BotApiAnswers.decode(request, answer, transport.redactor());
            } catch (RuntimeException e) {
              failure = e;
            }
          }
          stats.record(
              request.method(), ApiCallStats.outcomeOf(failure), System.nanoTime() - start);
          if (failure != null) {
            throw failure instanceof CompletionException c ? c : new CompletionException(failure);
          }
          return item;
        });
  }
}
