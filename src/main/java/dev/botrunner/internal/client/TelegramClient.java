package dev.botrunner.internal.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botrunner.BotApi;
import dev.botrunner.TelegramApiException;
import dev.botrunner.TelegramTransportException;
import dev.botrunner.internal.logging.TokenRedactor;
import dev.botrunner.internal.propagation.OwnPipeline;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.core.Vertx;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.telegram.telegrambots.meta.api.methods.botapimethods.BotApiMethod;
import org.telegram.telegrambots.meta.api.methods.botapimethods.PartialBotApiMethod;
import org.telegram.telegrambots.meta.api.methods.updates.GetUpdates;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.exceptions.TelegramApiValidationException;

/**
 * Non-blocking Bot API client: one generic {@link #call} for every JSON method that
 * telegrambots-meta models, {@link #upload} for the methods that may carry files (sent as {@code
 * multipart/form-data}), plus the shortcuts for the common ones from {@link BotApi}. Every result
 * is a lazy {@link Uni}. Failures are a {@link TelegramApiException} when Telegram answered {@code
 * ok:false} and a {@link TelegramTransportException} when no usable answer came; neither mentions
 * the token.
 *
 * <p>This class turns methods into requests; {@link RequestSender} carries each one out (retries,
 * throttle, migration, one HTTP attempt at a time). See docs/outbound.md.
 */
public final class TelegramClient implements BotApi {

  private final BotApiTransport transport;
  private final Duration timeout;
  private final RequestSender sender;

  /**
   * Starts a client's settings; every setting not named keeps the default the builder documents.
   *
   * @param vertx the Vert.x instance whose event loops run the HTTP client
   * @param apiUrl base URL of the Bot API, e.g. {@code https://api.telegram.org}
   * @param token the bot token; kept only inside the request path
   * @return the builder
   */
  public static TelegramClientBuilder builder(Vertx vertx, String apiUrl, String token) {
    return new TelegramClientBuilder(vertx, apiUrl, token);
  }

  TelegramClient(TelegramClientBuilder b) {
    this.transport =
        new BotApiTransport(b.vertx, apiUri(b.apiUrl, b.token), b.token, b.maxConnections);
    this.timeout = b.timeout;
    this.sender = new RequestSender(transport, b.retries, b.throttle, b.followMigration);
  }

  /** Parses the base URL; the parser's message quotes the whole value, which may hold the token. */
  private static URI apiUri(String apiUrl, String token) {
    try {
      return URI.create(apiUrl);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "BOT_API_URL is not a valid URL: " + new TokenRedactor(token).redactUrl(e.getMessage()));
    }
  }

  /**
   * @return the retry policy, for its counters
   */
  public RetryPolicy retries() {
    return sender.retries();
  }

  /**
   * @return per-method counts and latencies of every HTTP attempt
   */
  public ApiCallStats stats() {
    return sender.stats();
  }

  /**
   * @return the throttle, or null when throttling is off
   */
  public Throttle throttle() {
    return sender.throttle();
  }

  /**
   * Calls any JSON Bot API method.
   *
   * @param method a telegrambots-meta method object; validated before it is sent
   * @param <T> the method's result type
   * @return the decoded result
   */
  @Override
  public <T extends Serializable> Uni<T> call(BotApiMethod<T> method) {
    return OwnPipeline.run(
        () -> {
          return execute(method, name -> BotApiAnswers.decoderOf(method), timeout, true);
        });
  }

  /**
   * Calls any JSON Bot API method like {@link #call}, with the same retries and failures, but
   * decodes the result only when {@link LazyResult#get()} asks for it: for calls whose result is
   * mostly ignored, such as the message a reply returns.
   *
   * @param method a telegrambots-meta method object; validated before it is sent
   * @param <T> the method's result type
   * @return the answer, checked to say {@code ok:true}
   */
  public <T extends Serializable> Uni<LazyResult<T>> callLazily(BotApiMethod<T> method) {
    return OwnPipeline.run(
        () -> {
          return execute(
              method,
              name ->
                  BotApiAnswers.lazily(name, BotApiAnswers.decoderOf(method), transport.redactor()),
              timeout,
              true);
        });
  }

  /**
   * Makes a call like {@link #callLazily} now, as a future: for botrunner's own per-update path.
   *
   * @param method a telegrambots-meta method object; validated before it is sent
   * @param <T> the method's result type
   * @return the answer, checked to say {@code ok:true}
   */
  public <T extends Serializable> CompletableFuture<LazyResult<T>> startLazily(
      BotApiMethod<T> method) {
    return start(
        method,
        name -> BotApiAnswers.lazily(name, BotApiAnswers.decoderOf(method), transport.redactor()),
        timeout,
        true);
  }

  /**
   * Sends a call encoded by {@link StoredCall#of}, with the retries and the throttle of {@link
   * #call}; the answer is only checked to say {@code ok}. A chat's migration to a supergroup is not
   * followed.
   *
   * @param call the stored call
   * @return completion; fails as {@link #call} does
   */
  public Uni<Void> callStored(StoredCall call) {
    return OwnPipeline.deferFuture(
        () -> {
          ObjectNode params;
          try {
            params = (ObjectNode) BotJson.MAPPER.readTree(call.json());
          } catch (JsonProcessingException | ClassCastException e) {
            return CompletableFuture.failedFuture(
                new IllegalArgumentException(
                    "cannot decode the stored " + call.method() + ": " + e.getMessage()));
          }
          ApiRequest<Boolean> request =
              new ApiRequest<>(
                  call.method(),
                  BotApiAnswers.okOnly(call.method()),
                  params,
                  false,
                  List.of(),
                  timeout);
          return sender.send(request, true).thenApply(ok -> (Void) null);
        });
  }

  /**
   * Calls a method that may carry files ({@code SendPhoto}, {@code SendDocument}, {@code
   * SendAudio}, {@code SendVideo}, {@code SendMediaGroup}, ...) as {@code multipart/form-data}. New
   * files (from a {@link java.io.File}, an {@link java.io.InputStream} or {@link #bytes}) are read
   * once, on a worker thread, and become file parts; a {@code file_id} or URL is a plain field.
   * Other parameters are form fields, objects such as {@code reply_markup} as JSON. JSON-only
   * methods given here are sent as by {@link #call}.
   *
   * @param method a telegrambots-meta method object; validated before it is sent
   * @param <T> the method's result type
   * @return the decoded result
   */
  @Override
  public <T extends Serializable> Uni<T> upload(PartialBotApiMethod<T> method) {
    return execute(method, name -> BotApiAnswers.decoderOf(method), timeout, true);
  }

  /**
   * Registers the webhook (JSON form, no certificate upload).
   *
   * @param url the HTTPS URL Telegram posts to
   * @param secretToken sent back in {@code X-Telegram-Bot-Api-Secret-Token}, or null
   * @param allowedUpdates update types, or null for Telegram's default
   * @param maxConnections 1 to 100, or null for Telegram's default
   * @return true on success
   */
  public Uni<Boolean> setWebhook(
      String url, String secretToken, List<String> allowedUpdates, Integer maxConnections) {
    return call(new SetWebhookJson(url, secretToken, allowedUpdates, maxConnections));
  }

  /**
   * telegrambots-meta names methods in lower case ({@code sendmessage}); Telegram accepts any case,
   * but logs and errors read better with the documented name, which is the class name.
   */
  static String nameOf(PartialBotApiMethod<?> method) {
    String simple = method.getClass().getSimpleName();
    if (simple.isEmpty() || !simple.equalsIgnoreCase(method.getMethod())) {
      return method.getMethod();
    }
    return Character.toLowerCase(simple.charAt(0)) + simple.substring(1);
  }

  private <T> Uni<T> execute(
      PartialBotApiMethod<?> method,
      Function<String, BotApiAnswers.Decoder<T>> decoderFor,
      Duration callTimeout,
      boolean retry) {
    // Nothing is sent until the Uni is subscribed.
    return OwnPipeline.deferFuture(() -> start(method, decoderFor, callTimeout, retry));
  }

  /**
   * Makes a call now. botrunner's own path runs on futures, not Mutiny operators: with context
   * propagation in the application every operator asks for the thread's context when it is made
   * (see {@link OwnPipeline}), and a reply took a dozen of them.
   */
  private <T> CompletableFuture<T> start(
      PartialBotApiMethod<?> method,
      Function<String, BotApiAnswers.Decoder<T>> decoderFor,
      Duration callTimeout,
      boolean retry) {
    String name = nameOf(method);
    boolean multipart = !(method instanceof BotApiMethod);
    ObjectNode params;
    List<Multipart.Pending> pending;
    try {
      method.validate();
      params = multipart ? Multipart.params(method) : BotJson.MAPPER.valueToTree(method);
      pending = multipart ? Multipart.collect(method, params) : List.of();
    } catch (TelegramApiValidationException e) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("invalid " + name + ": " + e.getMessage()));
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("cannot encode " + name + ": " + e.getMessage()));
    }
    if (pending.isEmpty()) {
      return sender.sendFollowing(
          new ApiRequest<>(name, decoderFor.apply(name), params, multipart, List.of(), callTimeout),
          retry);
    }
    // Files are read once, on a worker; a retry sends the same bytes.
    CompletableFuture<List<Multipart.Part>> files =
        OwnPipeline.toFuture(
            Uni.createFrom()
                .item(() -> Multipart.load(pending))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure(UncheckedIOException.class)
                .transform(e -> new IllegalArgumentException(name + ": " + e.getMessage())));
    return files.thenCompose(
        parts ->
            sender.sendFollowing(
                new ApiRequest<>(
                    name, decoderFor.apply(name), params, multipart, parts, callTimeout),
                retry));
  }

  /**
   * Long-polls for updates; the HTTP timeout is the poll time plus the normal call timeout.
   *
   * @param offset first update id wanted (confirms all below it), or null
   * @param limit 1 to 100
   * @param pollSeconds how long Telegram may hold the request when no update is pending
   * @param allowedUpdates update types wanted, or null for Telegram's default
   * @return the updates, possibly none
   */
  public Uni<List<Update>> getUpdates(
      Integer offset, int limit, int pollSeconds, List<String> allowedUpdates) {
    GetUpdates request = new GetUpdates(offset, limit, pollSeconds, allowedUpdates);
    return OwnPipeline.deferFuture(
        () ->
            start(
                    request,
                    name -> BotApiAnswers.decoderOf(request),
                    timeout.plusSeconds(pollSeconds),
                    false)
                .thenApply(list -> (List<Update>) list));
  }

  /** Releases the HTTP connections. */
  public void close() {
    transport.close();
  }
}
