package dev.botrunner.bench.rest;

import dev.botrunner.internal.webhook.RecentUpdates;
import dev.botrunner.config.BotConfig;
import dev.botrunner.internal.dispatch.Dispatcher;
import dev.botrunner.internal.dispatch.Outcome;
import dev.botrunner.internal.client.BotJson;
import dev.botrunner.internal.dispatch.Draining;
import dev.botrunner.internal.webhook.WebhookResource.Result;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * botrunner's webhook endpoint as a Quarkus REST (JAX-RS) resource, for the benchmark only: the
 * same work as the raw Vert.x route {@code dev.botrunner.internal.webhook.WebhookResource} for a valid update
 * (secret in constant time and Content-Length in {@link RestWebhookChecks}, body limit, decoding
 * with {@link BotJson#MAPPER}, duplicate ids, saturation and draining, dispatch, answer when the
 * outcome arrives or at the deadline, counters), step for step, so that a comparison measures the
 * framework and nothing else.
 *
 * <p>The body is taken as {@code byte[]} and decoded with botrunner's mapper, as the route does,
 * rather than as an {@code Update} parameter, which would decode with Quarkus's own ObjectMapper.
 * The method returns a {@link CompletionStage}, so Quarkus REST runs it on the event loop, as the
 * route runs.
 */
@Path("/rest/telegram/webhook")
@WebhookChecks
public class RestWebhook {

  private static final Logger LOG = Logger.getLogger(RestWebhook.class);

  /** As {@code WebhookResource.DUPLICATE_WINDOW} (package-private there). */
  static final int DUPLICATE_WINDOW = 10_000;

  private final RecentUpdates recent = new RecentUpdates(DUPLICATE_WINDOW);
  private final RestWebhookChecks checks;
  private final BotConfig.Webhook settings;
  private final Dispatcher dispatcher;
  private final Draining draining;
  private final Vertx vertx;
  private final long timeoutMillis;

  RestWebhook(
      BotConfig config,
      Instance<Dispatcher> dispatchers,
      Draining draining,
      Vertx vertx,
      RestWebhookChecks checks) {
    this.settings = config.webhook();
    this.dispatcher = dispatchers.get();
    this.draining = draining;
    this.vertx = vertx;
    this.checks = checks;
    this.timeoutMillis = settings.timeout().toMillis();
  }

  /**
   * Takes one update.
   *
   * @param body the post's body, read by Quarkus REST
   * @return the answer, when the update is done or at the deadline
   */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public CompletionStage<Response> receive(byte[] body) {
    return take(body);
  }

  /** Everything after the header checks; also called by {@link RestWebhookLean}. */
  CompletionStage<Response> take(byte[] body) {
    if (body.length > checks.maxBody) {
      // A body without Content-Length (chunked): Quarkus REST read it, up to
      // quarkus.http.limits.max-body-size; the route's BodyHandler stops at the limit instead.
      checks.record(Result.TOO_LARGE);
      return CompletableFuture.completedFuture(Response.status(413).build());
    }
    Update update;
    try {
      update = BotJson.MAPPER.readValue(body, Update.class);
    } catch (IOException | RuntimeException e) {
      update = null; // the parser's message may quote the body: never log it
    }
    if (update == null || update.getUpdateId() == null) {
      checks.record(Result.MALFORMED);
      return CompletableFuture.completedFuture(Response.status(400).build());
    }
    int id = update.getUpdateId();
    CompletionStage<Outcome> earlier = recent.get(id);
    if (earlier != null) {
      return duplicate(id, earlier);
    }
    boolean draining = this.draining.on();
    if (draining || dispatcher.scheduler().waiting() >= settings.maxWaiting()) {
      checks.record(draining ? Result.DRAINING : Result.SATURATED);
      return CompletableFuture.completedFuture(
          Response.status(503).header(HttpHeaders.RETRY_AFTER, "1").build());
    }
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    earlier = recent.putIfAbsent(id, outcome);
    if (earlier != null) {
      return duplicate(id, earlier);
    }
    dispatcher
        .dispatch(update)
        .whenComplete(
            (result, failure) -> {
              Outcome end = failure == null ? result : Outcome.FAILED;
              if (end == Outcome.FAILED && settings.retryOnError()) {
                recent.remove(id, outcome);
              }
              outcome.complete(end);
            });
    return answer(id, outcome, false);
  }

  private CompletionStage<Response> duplicate(int id, CompletionStage<Outcome> earlier) {
    checks.record(Result.DUPLICATE);
    LOG.debugf("update %d was received before: not processed again", id);
    return answer(id, earlier, true);
  }

  /** As the route: the outcome or the deadline, whichever is first, on the request's context. */
  private CompletionStage<Response> answer(
      int id, CompletionStage<Outcome> outcome, boolean duplicate) {
    CompletableFuture<Response> response = new CompletableFuture<>();
    Context context = vertx.getOrCreateContext();
    AtomicBoolean answered = new AtomicBoolean();
    long timer =
        vertx.setTimer(
            timeoutMillis,
            ignored -> {
              if (answered.compareAndSet(false, true)) {
                if (!duplicate) {
                  checks.record(Result.DEADLINE);
                  LOG.infof(
                      "update %d still runs after %d ms: answered 200, it goes on",
                      id, timeoutMillis);
                }
                response.complete(Response.ok().build());
              }
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
            checks.record(end == Outcome.FAILED ? Result.FAILED : Result.PROCESSED);
          }
          int status = end == Outcome.FAILED && settings.retryOnError() ? 500 : 200;
          context.runOnContext(ignored -> response.complete(Response.status(status).build()));
        });
    return response;
  }
}
