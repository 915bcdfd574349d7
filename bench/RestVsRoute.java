import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.Updates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Quarkus REST resource vs raw Vert.x route for the webhook (issue 16, point 5), in the same
 * process: the bench/rest-webhook application serves botrunner's raw route at /telegram/webhook
 * ({@code route}), the REST variant at /rest/telegram/webhook ({@code rest}) and a leaner REST
 * variant without the request filter at /rest/telegram/webhook-lean ({@code lean}).
 *
 * <p>Each service process first warms every variant up once (in the order of that process), then
 * runs two measured bursts per variant in a Latin-square order: process 1 route, rest, lean, lean,
 * rest, route; process 2 starts one variant later (rest, lean, route, route, lean, rest), and so
 * on. Each measured burst follows its own warm-up on the same endpoint. So JIT state, heap and the
 * machine's load hit all variants alike.
 *
 * <p>A burst: U updates over C chats posted from K connections the way Telegram posts (each chat's
 * updates one after another, chats spread over the connections); sendMessage on the fake Bot API
 * answers after 5 ms; a post is answered when its update is done. Every phase uses chat ids of its
 * own. The service's CPU (utime + stime, /proc/PID/stat) is read before and after the measured
 * burst only.
 *
 * <pre>
 * java -cp target/rest-vs-route-classes:CLASSPATH RestVsRoute [--processes 3] [--updates 20000]
 *     [--warmup 40000] [--initial-warmup 40000] [--variants route,rest,lean] [--chats 1000]
 *     [--connections 40] [--jar PATH] [--log-dir DIR]
 * </pre>
 *
 * <p>Prints one {@code RUN} line per measured burst, one {@code PAIRED} line per process (each
 * variant's mean CPU per update against the route's in that process), {@code MEDIAN} lines per
 * variant and {@code VERDICT} lines.
 */
public class RestVsRoute {

  static final String ROUTE = "/telegram/webhook";
  static final String REST = "/rest/telegram/webhook";

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    int processes = Integer.parseInt(opt.getOrDefault("processes", "3"));
    int n = Integer.parseInt(opt.getOrDefault("updates", "20000"));
    int warmup = Integer.parseInt(opt.getOrDefault("warmup", "40000"));
    int chats = Integer.parseInt(opt.getOrDefault("chats", "1000"));
    int connections = Integer.parseInt(opt.getOrDefault("connections", "40"));
    List<String> variants = List.of(opt.getOrDefault("variants", "route,rest,lean").split(","));
    int initialWarmup = Integer.parseInt(opt.getOrDefault("initial-warmup", "40000"));
    String jar = opt.getOrDefault("jar", "bench/rest-webhook/target/quarkus-app/quarkus-run.jar");
    Path logDir = Path.of(opt.getOrDefault("log-dir", "target/rest-vs-route"));
    Files.createDirectories(logDir);

    System.setProperty("sun.net.httpserver.maxIdleConnections", "100000");
    FakeBotApi fake = FakeBotApi.start();
    fake.latency("sendMessage", Duration.ofMillis(5));
    Map<String, List<Map<String, Double>>> byVariant = new LinkedHashMap<>();
    List<Map<String, Double>> paired = new ArrayList<>();
    for (String v : variants) {
      byVariant.put(v, new ArrayList<>());
    }
    long chatBase = 1_000_000L;
    try {
      for (int p = 1; p <= processes; p++) {
        List<String> order = new ArrayList<>();
        for (int i = 0; i < variants.size(); i++) {
          order.add(variants.get((p - 1 + i) % variants.size()));
        }
        List<String> back = new ArrayList<>(order);
        java.util.Collections.reverse(back);
        order.addAll(back);
        Map<String, Double> cpuSum = new LinkedHashMap<>();
        Path log = logDir.resolve("service-" + p + ".log");
        try (ServiceProcess bot = ServiceProcess.start(fake, "webhook", jar, "", Map.of(), log)) {
          Runtime.getRuntime().addShutdownHook(new Thread(bot::close));
          for (String variant : order.subList(0, variants.size())) {
            if (initialWarmup > 0) {
              post(hook(bot, variant), initialWarmup, chats, connections, chatBase);
              chatBase += 1_000_000L;
              fake.reset();
            }
          }
          for (int b = 0; b < order.size(); b++) {
            String variant = order.get(b);
            URI hook = hook(bot, variant);
            String loadStart = loadAverage();
            post(hook, warmup, chats, connections, chatBase);
            chatBase += 1_000_000L;
            fake.reset(); // the fake records every call: keep its memory and lookups flat
            Map<String, Long> threadsBefore = bot.threadTicks();
            long cpuBefore = bot.cpuTicks();
            long sysBefore = bot.sysTicks();
            Burst burst = post(hook, n, chats, connections, chatBase);
            long cpuAfter = bot.cpuTicks();
            long sysAfter = bot.sysTicks();
            Map<String, Long> threadsAfter = bot.threadTicks();
            chatBase += 1_000_000L;
            int replies = fake.sentMessages().size();
            fake.reset();
            String loadEnd = loadAverage();
            long jit =
                threadsAfter.getOrDefault("C CompilerThre", 0L)
                    - threadsBefore.getOrDefault("C CompilerThre", 0L);
            long gc = delta(threadsBefore, threadsAfter, "GC");
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("us_per_update", (cpuAfter - cpuBefore) * 1e6 / ServiceProcess.HZ / n);
            m.put("no_jit_us", (cpuAfter - cpuBefore - jit) * 1e6 / ServiceProcess.HZ / n);
            m.put("jit_us", jit * 1e6 / ServiceProcess.HZ / n);
            m.put("gc_us", gc * 1e6 / ServiceProcess.HZ / n);
            m.put("sys_us", (sysAfter - sysBefore) * 1e6 / ServiceProcess.HZ / n);
            m.put("requests_per_s", n / burst.seconds);
            m.put("p50_ms", burst.p50Ms);
            m.put("p99_ms", burst.p99Ms);
            byVariant.get(variant).add(m);
            cpuSum.merge(variant, m.get("us_per_update"), Double::sum);
            StringBuilder line =
                new StringBuilder(
                    String.format(
                        Locale.ROOT, "RUN process=%d burst=%d variant=%s", p, b + 1, variant));
            m.forEach((k, v) -> line.append(String.format(Locale.ROOT, " %s=%.1f", k, v)));
            line.append(" non200=").append(burst.non200);
            line.append(" replies=").append(replies);
            line.append(" load_start=").append(loadStart.replace(' ', '/'));
            line.append(" load_end=").append(loadEnd.replace(' ', '/'));
            System.out.println(line);
          }
        }
        // Within one process: each variant's mean over its bursts against the route's.
        Map<String, Double> ratios = new LinkedHashMap<>();
        StringBuilder line = new StringBuilder("PAIRED process=" + p);
        for (String v : variants) {
          if (!v.equals("route") && cpuSum.containsKey("route")) {
            double r = (cpuSum.get(v) / cpuSum.get("route") - 1) * 100;
            ratios.put(v, r);
            line.append(String.format(Locale.ROOT, " %s_vs_route=%+.1f%%", v, r));
          }
        }
        paired.add(ratios);
        System.out.println(line);
      }
    } finally {
      fake.close();
    }
    if (processes == 0) {
      System.exit(0);
    }
    for (var e : byVariant.entrySet()) {
      StringBuilder line =
          new StringBuilder("MEDIAN variant=" + e.getKey() + " runs=" + e.getValue().size());
      for (String key : e.getValue().get(0).keySet()) {
        double[] values = e.getValue().stream().mapToDouble(m -> m.get(key)).sorted().toArray();
        line.append(String.format(Locale.ROOT, " %s=%.1f", key, median(values)));
      }
      System.out.println(line);
    }
    double route = median(metric(byVariant.get("route"), "us_per_update"));
    double routeNoJit = median(metric(byVariant.get("route"), "no_jit_us"));
    for (String v : variants) {
      if (v.equals("route")) {
        continue;
      }
      double cpu = median(metric(byVariant.get(v), "us_per_update"));
      double noJit = median(metric(byVariant.get(v), "no_jit_us"));
      double pairedMedian = median(paired.stream().mapToDouble(m -> m.get(v)).sorted().toArray());
      System.out.printf(
          Locale.ROOT,
          "VERDICT %s_vs_route cpu_per_update=%+.1f%% (medians %.1f vs %.1f us)"
              + " no_jit=%+.1f%% paired_median=%+.1f%%%n",
          v,
          (cpu / route - 1) * 100,
          cpu,
          route,
          (noJit / routeNoJit - 1) * 100,
          pairedMedian);
    }
    System.exit(0);
  }

  static URI hook(ServiceProcess bot, String variant) {
    String path =
        switch (variant) {
          case "route" -> ROUTE;
          case "rest" -> REST;
          case "lean" -> REST + "-lean";
          default -> throw new IllegalArgumentException("unknown variant " + variant);
        };
    return URI.create("http://127.0.0.1:" + bot.httpPort + path);
  }

  static double[] metric(List<Map<String, Double>> runs, String key) {
    return runs.stream().mapToDouble(m -> m.get(key)).sorted().toArray();
  }

  static double median(double[] sorted) {
    int k = sorted.length;
    return k % 2 == 1 ? sorted[k / 2] : (sorted[k / 2 - 1] + sorted[k / 2]) / 2;
  }

  static long delta(Map<String, Long> before, Map<String, Long> after, String contains) {
    long sum = 0;
    for (var e : after.entrySet()) {
      if (e.getKey().contains(contains)) {
        sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
      }
    }
    return sum;
  }

  static String loadAverage() throws Exception {
    String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return f[0] + " " + f[1] + " " + f[2];
  }

  record Burst(double seconds, double p50Ms, double p99Ms, long non200) {}

  /** Connection j posts the updates of chats j, j+K, ... in order, one request at a time. */
  static Burst post(URI hook, int n, int chats, int connections, long chatBase) throws Exception {
    List<List<String>> perConnection = new ArrayList<>();
    for (int j = 0; j < connections; j++) {
      perConnection.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      long chat = chatBase + i % chats;
      perConnection
          .get((int) (chat % connections))
          .add(Updates.toJson(Updates.text(chat, chat, "m")));
    }
    long[] latencies = new long[n];
    AtomicInteger index = new AtomicInteger();
    AtomicLong non200 = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(connections);
    List<Future<?>> done = new ArrayList<>();
    long start = System.nanoTime();
    for (List<String> bodies : perConnection) {
      done.add(
          pool.submit(
              () -> {
                HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                for (String body : bodies) {
                  HttpRequest request =
                      HttpRequest.newBuilder(hook)
                          .header("Content-Type", "application/json")
                          .header("X-Telegram-Bot-Api-Secret-Token", ServiceProcess.SECRET)
                          .POST(HttpRequest.BodyPublishers.ofString(body))
                          .build();
                  long t0 = System.nanoTime();
                  int status =
                      http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                  latencies[index.getAndIncrement()] = System.nanoTime() - t0;
                  if (status != 200) {
                    non200.incrementAndGet();
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
    return new Burst(
        seconds, latencies[n / 2] / 1e6, latencies[(int) (n * 0.99)] / 1e6, non200.get());
  }
}
