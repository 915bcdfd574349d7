import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.Updates;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Webhook load: the packaged service in webhook mode, N updates over C chats posted from K
 * connections the way Telegram does it (each chat's posts one after another, chats spread over the
 * connections). sendMessage on the fake Bot API answers after 5 ms. Prints requests/s and the
 * p50/p99 of the request time (post until answer; the answer waits for the update's reply).
 *
 * <p>java -cp CP bench/WebhookBench.java [updates=20000] [chats=1000] [connections=40]
 */
public class WebhookBench {

  static final String SECRET = "bench-secret";

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int chats = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int connections = args.length > 2 ? Integer.parseInt(args[2]) : 40;
    System.setProperty("sun.net.httpserver.maxIdleConnections", "100000");
    FakeBotApi fake = FakeBotApi.start();
    fake.latency("sendMessage", Duration.ofMillis(5));
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Process bot = start(fake, port);
    try {
      URI hook = URI.create("http://127.0.0.1:" + port + "/telegram/webhook");
      awaitReady(port, bot);
      post(hook, 2000, chats, connections, 5_000_000L, "warm-up");
      post(hook, n, chats, connections, 1L, "measured");
    } finally {
      bot.destroy();
      bot.waitFor();
      fake.close();
    }
    System.exit(0);
  }

  static Process start(FakeBotApi fake, int port) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(java, "-jar", "target/quarkus-app/quarkus-run.jar")
            .redirectErrorStream(true)
            .redirectOutput(Files.createTempFile("webhook-bench", ".log").toFile());
    pb.environment().put("BOT_TOKEN", FakeBotApi.TOKEN);
    pb.environment().put("BOT_API_URL", fake.baseUrl());
    pb.environment().put("BOT_MODE", "webhook");
    pb.environment().put("BOT_WEBHOOK_SECRET", SECRET);
    pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
    return pb.start();
  }

  static void awaitReady(int port, Process bot) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI ready = URI.create("http://127.0.0.1:" + port + "/q/health/ready");
    for (int i = 0; i < 600; i++) {
      if (!bot.isAlive()) {
        throw new IllegalStateException("service exited with " + bot.exitValue());
      }
      try {
        if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("service not ready within 60 s");
  }

  /** Connection j posts the updates of chats j, j+K, ... in order, one request at a time. */
  static void post(URI hook, int n, int chats, int connections, long chatBase, String label)
      throws Exception {
    List<List<String>> perConnection = new ArrayList<>();
    for (int j = 0; j < connections; j++) {
      perConnection.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      long chat = chatBase + i % chats;
      perConnection.get((int) (chat % connections)).add(Updates.toJson(Updates.text(chat, chat, "m")));
    }
    long[] latencies = new long[n];
    AtomicLong index = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(connections);
    List<Future<?>> done = new ArrayList<>();
    long start = System.nanoTime();
    for (List<String> bodies : perConnection) {
      done.add(
          pool.submit(
              () -> {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                for (String body : bodies) {
                  HttpRequest request =
                      HttpRequest.newBuilder(hook)
                          .header("Content-Type", "application/json")
                          .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
                          .POST(HttpRequest.BodyPublishers.ofString(body))
                          .build();
                  long t0 = System.nanoTime();
                  int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                  latencies[(int) index.getAndIncrement()] = System.nanoTime() - t0;
                  if (status != 200) {
                    failures.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    Arrays.sort(latencies);
    System.out.printf(
        "%s RESULT updates=%d chats=%d connections=%d seconds=%.2f requests_per_s=%.0f p50_ms=%.1f"
            + " p99_ms=%.1f max_ms=%.1f non200=%d%n",
        label, n, chats, connections, seconds, n / seconds, latencies[n / 2] / 1e6,
        latencies[(int) (n * 0.99)] / 1e6, latencies[n - 1] / 1e6, failures.get());
  }
}
