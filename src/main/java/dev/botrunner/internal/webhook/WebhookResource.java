package dev.botrunner.internal.webhook;

import dev.botrunner.config.BotConfig;
import dev.botrunner.internal.client.BotJson;
import dev.botrunner.internal.context.WebhookReply;
import dev.botrunner.internal.dispatch.Dispatcher;
import dev.botrunner.internal.dispatch.Draining;
import dev.botrunner.internal.dispatch.Outcome;
import dev.botrunner.internal.store.Delivery;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * The webhook endpoint, active when {@code BOT_MODE=webhook}: {@code POST} at {@code
 * BOT_WEBHOOK_PATH}, registered as a Vert.x route at startup so the path comes from configuration
 * and the body is read as raw bytes under a size limit.
 *
 * <p>Checks, in order: method (405), secret token (401), content type (415), body size (413), JSON
 * (400), duplicate {@code update_id} (200 without processing), saturation (503 + {@code
 * Retry-After}). An accepted update goes to the {@link Dispatcher}; the answer is sent when its
 * outcome arrives or at {@code BOT_WEBHOOK_TIMEOUT}, whichever is first. At the deadline an update
 * that still runs is first saved ({@link WebhookLeases}, with PostgreSQL) and only then answered
 * 200; if it cannot be saved the answer is 500, so Telegram re-sends it. The body is never logged.
 */
@Singleton
public class WebhookResource {

  private static final Logger LOG = Logger.getLogger(WebhookResource.class);

  /** The header Telegram puts the {@code secret_token} in. */
  public static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";

  /** How many recent update ids are remembered to recognise re-sent updates. */
  static final int DUPLICATE_WINDOW = 10_000;

  /** Seconds a 503 asks Telegram to wait: room comes back as soon as a few updates finish. */
  static final String RETRY_AFTER_SECONDS = "1";

  /** What happened to one request; each has a counter. */
  public enum Result {
    /** Dispatched, answered when it finished. */
    PROCESSED,
    /** Dispatched, its middleware failed. */
    FAILED,
    /** Dispatched, answered at the deadline while it still ran. */
    DEADLINE,
    /** A re-sent update_id: answered without processing. */
    DUPLICATE,
    /** Missing or wrong secret token. */
    UNAUTHORIZED,
    /** Not JSON, or not an update. */
    MALFORMED,
    /** Body over the limit. */
    TOO_LARGE,
    /** Not a POST. */
    WRONG_METHOD,
    /** Not application/json. */
    WRONG_CONTENT_TYPE,
    /** The waiting queue was full: 503. */
    SATURATED,
    /** Shutting down: 503, Telegram re-sends. */
    DRAINING,
    /** Still running at the deadline and could not be saved: 500, Telegram re-sends. */
    NOT_SAVED
  }

  private final Map<Result, LongAdder> counters = new EnumMap<>(Result.class);
  private final RecentUpdates recent = new RecentUpdates(DUPLICATE_WINDOW);

  private BotConfig.Webhook settings;
  private Dispatcher dispatcher;
  private Draining draining;
  private byte[] secret;
  private long timeoutMillis;
  private WebhookLeases leases;
  private WebhookAnswer answers;

  /** Creates the counters. */
  public WebhookResource() {
    for (Result result : Result.values()) {
      counters.put(result, new LongAdder());
    }
  }

  void register(
      @Observes Router router,
      BotConfig config,
      Instance<Dispatcher> dispatchers,
      Instance<MeterRegistry> registry,
      Instance<Delivery> delivery,
      Vertx vertx,
      WebhookLifecycle lifecycle,
      Draining draining) {
    if (config.mode() != BotConfig.Mode.WEBHOOK) {
      return;
    }
    this.draining = draining;
    this.settings = config.webhook();
    this.dispatcher = dispatchers.get();
    this.leases = new WebhookLeases(delivery.get().pending(), settings.lease(), dispatcher);
    lifecycle.leases(leases, vertx);
    this.secret = settings.secret().map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null);
    this.timeoutMillis = settings.timeout().toMillis();
    this.answers = new WebhookAnswer(timeoutMillis, settings.retryOnError(), leases, this::record);
    long maxBody = settings.maxBody().asLongValue();
    if (registry.isResolvable()) {
      for (Result result : Result.values()) {
        FunctionCounter.builder("botrunner.webhook.requests", counters.get(result), LongAdder::sum)
            .tag("result", result.name().toLowerCase(Locale.ROOT))
            .description("Webhook requests by how they were answered")
            .register(registry.get());
      }
    }
    BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBody);
    router
        .route(settings.path())
        .handler(this::checkHeaders)
        // Wrapped: Vert.x wants a BodyHandler first, but the headers are checked before any byte of
        // the body is read (checkHeaders calls next() synchronously, so nothing is missed).
        .handler(rc -> body.handle(rc))
        .handler(this::accept)
        .failureHandler(this::fail);
    LOG.infof("webhook endpoint at POST %s (answer within %d ms)", settings.path(), timeoutMillis);
  }

  /**
   * @param result a kind of answer
   * @return how many requests got it since startup
   */
  public long count(Result result) {
    return counters.get(result).sum();
  }

  private void record(Result result) {
    counters.get(result).increment();
  }

  private void checkHeaders(RoutingContext rc) {
    if (rc.request().method() != HttpMethod.POST) {
      record(Result.WRONG_METHOD);
      rc.response().putHeader(HttpHeaders.ALLOW, "POST");
      WebhookAnswer.end(rc.response(), 405);
      return;
    }
    if (secret != null && !secretMatches(rc.request().getHeader(SECRET_HEADER))) {
      record(Result.UNAUTHORIZED);
      WebhookAnswer.end(rc.response(), 401);
      return;
    }
    String type = rc.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (type == null || !isJson(type)) {
      record(Result.WRONG_CONTENT_TYPE);
      WebhookAnswer.end(rc.response(), 415);
      return;
    }
    rc.next();
  }

  private boolean secretMatches(String header) {
    if (header == null) {
      return false;
    }
    // Constant time for equal lengths; the length itself is not secret (Telegram allows 1-256).
    return MessageDigest.isEqual(secret, header.getBytes(StandardCharsets.UTF_8));
  }

  private static boolean isJson(String contentType) {
    int semicolon = contentType.indexOf(';');
    String media = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    return media.equalsIgnoreCase("application/json");
  }

  private void fail(RoutingContext rc) {
    int status = rc.statusCode();
    if (status == 413) {
      record(Result.TOO_LARGE);
    } else if (rc.failure() != null) {
      LOG.error("the webhook endpoint failed", rc.failure());
    }
    if (!rc.response().ended()) {
      WebhookAnswer.end(rc.response(), status < 400 ? 500 : status);
    }
  }

  private void accept(RoutingContext rc) {
    Buffer body = rc.body().buffer();
    Update update;
    try {
      update = body == null ? null : BotJson.MAPPER.readValue(body.getBytes(), Update.class);
    } catch (IOException | RuntimeException e) {
      update = null; // the parser's message may quote the body: never log it
    }
    if (update == null || update.getUpdateId() == null) {
      record(Result.MALFORMED);
      WebhookAnswer.end(rc.response(), 400);
      return;
    }
    int id = update.getUpdateId();
    CompletionStage<Outcome> earlier = recent.get(id);
    if (earlier != null) {
      duplicate(rc, id, earlier);
      return;
    }
    // Capacity is measured before the update joins, so at most maxWaiting wait (plus the requests
    // racing through this line at the same moment, at most one per connection). While draining for
    // shutdown nothing new is accepted: Telegram re-sends it, to this or another replica.
    boolean draining = this.draining.on();
    if (draining || dispatcher.scheduler().waiting() >= settings.maxWaiting()) {
      record(draining ? Result.DRAINING : Result.SATURATED);
      rc.response().putHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
      WebhookAnswer.end(rc.response(), 503);
      return;
    }
    Accepted outcome = new Accepted(update, leases, settings.reply() ? new WebhookReply() : null);
    earlier = recent.putIfAbsent(id, outcome);
    if (earlier != null) {
      duplicate(rc, id, earlier);
      return;
    }
    dispatcher
        .dispatch(update, outcome.reply())
        .whenComplete(
            (result, failure) -> {
              Outcome end = failure == null ? result : Outcome.FAILED;
              if (end == Outcome.FAILED && settings.retryOnError()) {
                recent.remove(id, outcome); // Telegram's re-send is meant to run again
              }
              outcome.finish(end);
            });
    answers.answer(rc, id, outcome, false);
  }

  private void duplicate(RoutingContext rc, int id, CompletionStage<Outcome> earlier) {
    record(Result.DUPLICATE);
    LOG.debugf("update %d was received before: not processed again", id);
    answers.answer(rc, id, earlier, true);
  }
}
