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
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Function;

/**
 * HTTP to the Bot API over Vert.x's non-blocking client. The token lives only in {@link
 * #pathPrefix}; nothing this class throws or returns carries it.
 *
 * <p>A large pool is split over several clients ("shards") of at most {@link
 * #CONNECTIONS_PER_SHARD} connections each: Vert.x's HTTP/1 pool picks a connection for each
 * request by scanning every connection it holds, which with the 1,002 connections of a limit of
 * 5,000 took about 7 % of the service's CPU (docs/benchmarks.md, "Third pass at a limit of 5,000").
 * A call goes to the first shard with fewer calls in flight than connections, so a light load stays
 * on the first shard's connections, as it would in one pool; only when every shard is full does it
 * queue, on the least busy one.
 */
final class BotApiTransport {

  /** The status and body of one answer. */
  record Answer(int status, Buffer body) {}

  /** Most connections one pool scans per request; smaller pools stay a single client. */
  static final int CONNECTIONS_PER_SHARD = 32;

  private final WebClient[] shards;
  private final int[] capacity;
  private final AtomicIntegerArray inFlight;
  private final String pathPrefix;
  private final TokenRedactor redactor;

  BotApiTransport(Vertx vertx, URI apiUrl, String token, int maxConnections) {
    boolean https = "https".equals(apiUrl.getScheme());
    int port = apiUrl.getPort() != -1 ? apiUrl.getPort() : (https ? 443 : 80);
    int shardCount = shardsFor(maxConnections);
    this.shards = new WebClient[shardCount];
    this.capacity = new int[shardCount];
    this.inFlight = new AtomicIntegerArray(shardCount);
    for (int i = 0; i < shardCount; i++) {
      capacity[i] = connectionsOfShard(maxConnections, shardCount, i);
      WebClientOptions options =
          new WebClientOptions()
              .setDefaultHost(apiUrl.getHost())
              .setDefaultPort(port)
              .setSsl(https)
              .setKeepAlive(true)
              .setMaxPoolSize(capacity[i])
              .setTryUseCompression(false)
              .setUserAgent("botrunner");
      shards[i] = WebClient.create(vertx, options);
    }
    String basePath = apiUrl.getPath() == null ? "" : apiUrl.getPath().replaceAll("/+$", "");
    this.pathPrefix = basePath + "/bot" + token + "/";
    this.redactor = new TokenRedactor(token);
  }

  /** How many clients {@code maxConnections} are split over. */
  static int shardsFor(int maxConnections) {
    return Math.max(1, (maxConnections + CONNECTIONS_PER_SHARD - 1) / CONNECTIONS_PER_SHARD);
  }

  /** Shard {@code i}'s pool size: {@code maxConnections} spread evenly, the first ones one more. */
  static int connectionsOfShard(int maxConnections, int shardCount, int i) {
    return maxConnections / shardCount + (i < maxConnections % shardCount ? 1 : 0);
  }

  /** Takes a place on the shard the next call goes through (see the class comment). */
  private int take() {
    int n = shards.length;
    if (n == 1) {
      return 0; // one pool: nothing to choose, nothing to count
    }
    int least = 0;
    for (int i = 0; i < n; i++) {
      int busy = inFlight.get(i);
      if (busy < capacity[i]) {
        inFlight.incrementAndGet(i);
        return i;
      }
      if (busy - capacity[i] < inFlight.get(least) - capacity[least]) {
        least = i;
      }
    }
    inFlight.incrementAndGet(least);
    return least;
  }

  /** Gives back the place a finished call took on its shard. */
  private void done(int shard) {
    if (shards.length > 1) {
      inFlight.decrementAndGet(shard);
    }
  }

  /** Calls in flight on a shard, for tests. */
  int inFlight(int shard) {
    return shards.length == 1 ? -1 : inFlight.get(shard);
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
    int shard = take();
    shards[shard]
        .getDelegate()
        .request(HttpMethod.POST, pathPrefix + method)
        .putHeader("Content-Type", "application/json")
        .timeout(timeout.toMillis())
        .sendBuffer(io.vertx.core.buffer.Buffer.buffer(json))
        .onComplete(
            sent -> {
              done(shard);
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
    return onShard(
        client -> {
          HttpRequest<Buffer> request =
              client
                  .request(HttpMethod.POST, pathPrefix + method)
                  .putHeader("Content-Type", contentType)
                  .timeout(timeout.toMillis());
          return answer(method, request.sendBuffer(body));
        });
  }

  /** A call made at subscription on the shard {@link #take} gives, given back when it ends. */
  private Uni<Answer> onShard(Function<WebClient, Uni<Answer>> call) {
    // Subscribed later, maybe on a thread with the host's context: kept out of it.
    return OwnPipeline.defer(
        () -> {
          int shard = take();
          return call.apply(shards[shard]).onTermination().invoke(() -> done(shard));
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
    return onShard(
        client ->
            answer(
                method,
                client
                    .request(HttpMethod.POST, pathPrefix + method)
                    .timeout(timeout.toMillis())
                    // Plain form-data even when two files share a name: no nested multipart/mixed,
                    // a form the Bot API does not document.
                    .multipartMixed(false)
                    .sendMultipartForm(form)));
  }

  TokenRedactor redactor() {
    return redactor;
  }

  void close() {
    for (WebClient shard : shards) {
      shard.close();
    }
  }
}
