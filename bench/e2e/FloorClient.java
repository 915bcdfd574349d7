import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The floor under the service's reply cost: nothing but {@code sendMessage} exchanges with the fake
 * Bot API over Vert.x, with the client options the service uses, {@code concurrency} calls in
 * flight, each answer followed by the next call from its event loop. Run as a child of {@link
 * HttpFloor}, which holds the fake; prints {@code FLOOR key=value ...} with this process's own CPU
 * per call over the measured calls (after the warm-up ones) and the mean time of a call as the
 * client saw it ({@code call_ms}).
 *
 * <pre>
 * java -cp ... FloorClient BASE_URL TOKEN webclient|httpclient WARMUP CALLS CONCURRENCY [TIMEOUT_MS]
 * </pre>
 */
public final class FloorClient {

  /** Each call's time from sending to its answer's body read, summed over a phase. */
  private static final LongAdder CALL_NANOS = new LongAdder();

  private FloorClient() {}

  public static void main(String[] args) throws Exception {
    URI base = URI.create(args[0]);
    String path = "/bot" + args[1] + "/sendMessage";
    String kind = args[2];
    int warmup = Integer.parseInt(args[3]);
    int calls = Integer.parseInt(args[4]);
    int concurrency = Integer.parseInt(args[5]);
    long timeoutMs = args.length > 6 ? Long.parseLong(args[6]) : 0;
    Vertx vertx = Vertx.vertx();
    Call call = client(vertx, base, path, kind, timeoutMs);
    run(vertx, call, warmup, concurrency);
    CALL_NANOS.reset();
    long[] before = Ticks.self();
    long t0 = System.nanoTime();
    run(vertx, call, calls, concurrency);
    long nanos = System.nanoTime() - t0;
    long[] after = Ticks.self();
    double perCall = 1e6 / Ticks.HZ / calls;
    System.out.println(
        String.format(
            Locale.ROOT,
            "FLOOR kind=%s calls=%d concurrency=%d timeout_ms=%d seconds=%.3f rate=%.0f"
                + " us_per_call=%.1f no_jit_us=%.1f sys_us=%.1f call_ms=%.3f bound_pct=%.1f",
            kind,
            calls,
            concurrency,
            timeoutMs,
            nanos / 1e9,
            calls / (nanos / 1e9),
            (after[0] - before[0]) * perCall,
            (after[0] - before[0] - (after[2] - before[2])) * perCall,
            (after[1] - before[1]) * perCall,
            CALL_NANOS.sum() / 1e6 / calls,
            // As LoadDriver's bound: each chain's calls one after another at 5 ms each (the
            // latency HttpFloor gives the fake), against the time all chains took.
            100.0 * calls / concurrency * 5e6 / nanos));
    vertx.close();
    System.exit(0);
  }

  /** One exchange: a JSON body like the demo bot's reply, the answer's body read in full. */
  interface Call {
    Future<Buffer> send(Buffer body);
  }

  static Call client(Vertx vertx, URI base, String path, String kind, long timeoutMs) {
    // The service's options (BotApiTransport): keep-alive, a pool as large as its concurrency + 2
    // (compression is off by default, as the service has it).
    if (kind.equals("webclient")) {
      WebClient web =
          WebClient.create(
              vertx,
              new WebClientOptions()
                  .setDefaultHost(base.getHost())
                  .setDefaultPort(base.getPort())
                  .setKeepAlive(true)
                  .setMaxPoolSize(502)
                  .setUserAgent("botrunner"));
      return body -> {
        var request =
            web.request(HttpMethod.POST, path).putHeader("Content-Type", "application/json");
        if (timeoutMs > 0) {
          request.timeout(timeoutMs);
        }
        return request.sendBuffer(body).map(r -> r.bodyAsBuffer());
      };
    }
    HttpClient http =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setDefaultHost(base.getHost())
                .setDefaultPort(base.getPort())
                .setKeepAlive(true)
                .setMaxPoolSize(502));
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setURI(path)
            .putHeader("Content-Type", "application/json")
            .putHeader("User-Agent", "botrunner");
    if (timeoutMs > 0) {
      options.setTimeout(timeoutMs);
    }
    return body -> http.request(options).compose(req -> req.send(body)).compose(r -> r.body());
  }

  /** Keeps {@code concurrency} calls in flight until {@code total} have been answered. */
  static void run(Vertx vertx, Call call, int total, int concurrency) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(total);
    AtomicInteger issued = new AtomicInteger();
    for (int i = 0; i < Math.min(concurrency, total); i++) {
      // Each chain on its own context, so the chains spread over the event loops as chats do.
      vertx.getOrCreateContext().runOnContext(v -> next(call, issued, total, done));
    }
    done.await();
  }

  private static void next(Call call, AtomicInteger issued, int total, CountDownLatch done) {
    int i = issued.getAndIncrement();
    if (i >= total) {
      return;
    }
    String json =
        "{\"chat_id\":" + (1 + i % 1000) + ",\"text\":\"" + (1 + i / 1000) + ": m" + i + "\"}";
    long sent = System.nanoTime();
    call.send(Buffer.buffer(json.getBytes(StandardCharsets.UTF_8)))
        .onComplete(
            r -> {
              CALL_NANOS.add(System.nanoTime() - sent);
              if (r.failed() || !r.result().toString().contains("\"ok\":true")) {
                System.err.println("call failed: " + (r.failed() ? r.cause() : r.result()));
                System.exit(1);
              }
              done.countDown();
              next(call, issued, total, done);
            });
  }

  /** This process's CPU ticks from /proc: {utime + stime, stime, the JIT compiler threads'}. */
  static final class Ticks {
    // USER_HZ: 100 on every common Linux architecture (the driver reads it with getconf).
    static final long HZ = 100;

    static long[] self() throws Exception {
      String[] f = fields(Path.of("/proc/self/stat"));
      long jit = 0;
      try (var tasks = Files.list(Path.of("/proc/self/task"))) {
        for (Path task : tasks.toList()) {
          try {
            if (Files.readString(task.resolve("comm")).contains("CompilerThre")) {
              String[] t = fields(task.resolve("stat"));
              jit += Long.parseLong(t[11]) + Long.parseLong(t[12]);
            }
          } catch (IOException e) {
            // the thread ended between listing and reading
          }
        }
      }
      return new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[12]), jit};
    }

    // Fields after the command name, which may hold spaces: utime is [11], stime [12].
    private static String[] fields(Path stat) throws IOException {
      String s = Files.readString(stat);
      return s.substring(s.lastIndexOf(')') + 2).split(" ");
    }
  }
}
