package dev.botrunner.internal.client;

import dev.botrunner.TelegramTransportException;
import dev.botrunner.internal.logging.TokenRedactor;
import dev.botrunner.internal.propagation.OwnPipeline;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.vertx.mutiny.ext.web.multipart.MultipartForm;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * HTTP to the Bot API over Vert.x's non-blocking client. The token lives only in {@link
 * #pathPrefix}; nothing this class throws or returns carries it.
 */
final class BotApiTransport {

  /** The status and body of one answer. */
  record Answer(int status, Buffer body) {}

  private final WebClient client;
  private final String pathPrefix;
  private final TokenRedactor redactor;

  BotApiTransport(Vertx vertx, URI apiUrl, String token, int maxConnections) {
    boolean https = "https".equals(apiUrl.getScheme());
    int port = apiUrl.getPort() != -1 ? apiUrl.getPort() : (https ? 443 : 80);
    WebClientOptions options =
        new WebClientOptions()
            .setDefaultHost(apiUrl.getHost())
            .setDefaultPort(port)
            .setSsl(https)
            .setKeepAlive(true)
            .setMaxPoolSize(maxConnections)
            .setTryUseCompression(false)
            .setUserAgent("botrunner");
    this.client = WebClient.create(vertx, options);
    String basePath = apiUrl.getPath() == null ? "" : apiUrl.getPath().replaceAll("/+$", "");
    this.pathPrefix = basePath + "/bot" + token + "/";
    this.redactor = new TokenRedactor(token);
  }

  /**
   * Posts a JSON body to a method and returns whatever HTTP answer came back; fails only with
   * {@link TelegramTransportException} when none did.
   */
  Uni<Answer> post(String method, byte[] json, Duration timeout) {
    return post(method, Buffer.buffer(json), "application/json", timeout);
  }

  /**
   * Posts a JSON body like {@link #post(String, byte[], Duration)}, as a future: the per-update
   * path uses Vert.x's own future, which no context propagation wraps (see {@link OwnPipeline}).
   */
  CompletableFuture<Answer> postNow(String method, byte[] json, Duration timeout) {
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    client
        .getDelegate()
        .request(HttpMethod.POST, pathPrefix + method)
        .putHeader("Content-Type", "application/json")
        .timeout(timeout.toMillis())
        .sendBuffer(io.vertx.core.buffer.Buffer.buffer(json))
        .onComplete(
            sent -> {
              if (sent.succeeded()) {
                // The same Answer as the Mutiny binding's: a null body stays null.
                answer.complete(
                    new Answer(
                        sent.result().statusCode(),
                        Buffer.newInstance(sent.result().bodyAsBuffer())));
              } else {
                answer.completeExceptionally(
                    new TelegramTransportException(method, redactor.describe(sent.cause())));
              }
            });
    return answer;
  }

  /**
   * Posts a body of any type to a method; fails only with {@link TelegramTransportException} when
   * no answer came.
   */
  Uni<Answer> post(String method, Buffer body, String contentType, Duration timeout) {
    return OwnPipeline.run(
        () -> {
          HttpRequest<Buffer> request =
              client
                  .request(HttpMethod.POST, pathPrefix + method)
                  .putHeader("Content-Type", contentType)
                  .timeout(timeout.toMillis());
          return answer(method, request.sendBuffer(body));
        });
  }

  private Uni<Answer> answer(String method, Uni<HttpResponse<Buffer>> sent) {
    return OwnPipeline.run(
        () -> {
          return sent.map(response -> new Answer(response.statusCode(), response.bodyAsBuffer()))
              .onFailure(failure -> !(failure instanceof TelegramTransportException))
              .transform(
                  failure -> new TelegramTransportException(method, redactor.describe(failure)));
        });
  }

  /**
   * Posts a {@code multipart/form-data} form to a method; fails only with {@link
   * TelegramTransportException} when no answer came.
   */
  Uni<Answer> post(String method, MultipartForm form, Duration timeout) {
    return answer(
        method,
        client
            .request(HttpMethod.POST, pathPrefix + method)
            .timeout(timeout.toMillis())
            // Plain form-data even when two files share a name: no nested multipart/mixed, a form
            // the Bot API does not document.
            .multipartMixed(false)
            .sendMultipartForm(form));
  }

  TokenRedactor redactor() {
    return redactor;
  }

  void close() {
    client.close();
  }
}
