import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.SentMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One end-to-end load run of a bot against the in-process fake Bot API (see bench/e2e.sh, which
 * compiles bench/e2e/ and runs this class): the packaged service, or a Node peer (bench/peers/)
 * doing the demo bot's work.
 *
 * <pre>
 * java -cp target/bench-classes:CLASSPATH LoadDriver [--bot botrunner|grammy|ceiling]
 *     [--mode polling|webhook] [--dist uniform|zipf] [--zipf-s 1.0] [--chats 1000]
 *     [--updates 20000] [--warmup 2000] [--warmup-chats (as --chats)]
 *     [--warmup-dist uniform|zipf|same (as --dist)]
 *     [--rate 0 (burst) | updates/s] [--connections 40] [--latency-ms 5] [--jvm-opts "..."]
 *     [--jar target/quarkus-app/quarkus-run.jar] [--node node] [--timeout-s 300] [--log FILE]
 *     [--case NAME (only echoed in RESULT)] [--delay-ms 0] [--style reactive|blocking]
 *     [--concurrency 500] [--env "NAME=VALUE ..." (more settings of the service)]
 *     [--fake-warmup on|off (the fake's own calls before the bot starts; see FakeWarmUp)]
 *     [--dump-polls FILE (each getUpdates and reply of the measured part, for a look at pacing)]
 * </pre>
 *
 * <p>One run per process and a fresh bot per run, so runs are independent samples; {@code --warmup
 * 0} measures the first updates after start (a cold run). The last line is {@code RESULT key=value
 * ...} for the script to aggregate.
 */
public class LoadDriver {

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = parse(args);
    String botName = opt.getOrDefault("bot", "botrunner");
    boolean service = botName.equals("botrunner");
    String mode = opt.getOrDefault("mode", "polling");
    String dist = opt.getOrDefault("dist", "uniform");
    int n = Integer.parseInt(opt.getOrDefault("updates", "20000"));
    int chats = Integer.parseInt(opt.getOrDefault("chats", "1000"));
    int warmup = Integer.parseInt(opt.getOrDefault("warmup", "2000"));
    int warmupChats = Integer.parseInt(opt.getOrDefault("warmup-chats", String.valueOf(chats)));
    // The warm-up's chats are drawn as the measured ones are, or round-robin (uniform).
    String warmupDist = opt.getOrDefault("warmup-dist", "uniform");
    double rate = Double.parseDouble(opt.getOrDefault("rate", "0"));
    double zipfS = Double.parseDouble(opt.getOrDefault("zipf-s", "1.0"));
    int connections = Integer.parseInt(opt.getOrDefault("connections", "40"));
    long latencyMs = Long.parseLong(opt.getOrDefault("latency-ms", "5"));
    String jvmOpts = opt.getOrDefault("jvm-opts", "");
    String jar = opt.getOrDefault("jar", "target/quarkus-app/quarkus-run.jar");
    Duration timeout = Duration.ofSeconds(Long.parseLong(opt.getOrDefault("timeout-s", "300")));
    Path log = Path.of(opt.getOrDefault("log", "target/bench-service.log"));
    // The slow cases: each counted answer waits this long (the demo bot's BOT_EXAMPLE_DELAY, a
    // sleep in the peers), written as a blocking Handler or a reactive Middleware (botrunner only),
    // with this many updates at once (BOT_CONCURRENCY, the runner's sink concurrency).
    long delayMs = Long.parseLong(opt.getOrDefault("delay-ms", "0"));
    String style = opt.getOrDefault("style", "reactive");
    int concurrency = Integer.parseInt(opt.getOrDefault("concurrency", "500"));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("BOT_CONCURRENCY", Integer.toString(concurrency));
    if (service) {
      env.put("BOT_EXAMPLE_STYLE", style);
      env.put("BOT_EXAMPLE_DELAY", delayMs + "ms");
    } else {
      env.put("BOT_HANDLER_DELAY_MS", Long.toString(delayMs));
    }
    // Any further setting of the service, e.g. "BOT_BLOCKING_THREADS=worker-pool".
    for (String pair : opt.getOrDefault("env", "").trim().split("\\s+")) {
      if (!pair.isEmpty()) {
        int eq = pair.indexOf('=');
        if (eq < 1) {
          throw new IllegalArgumentException("--env takes NAME=VALUE pairs, got: " + pair);
        }
        env.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    if (n <= 0
        || chats <= 0
        || warmup < 0
        || warmupChats <= 0
        || warmupChats >= 1_000_000
        || delayMs < 0
        || concurrency < 1
        || !(style.equals("reactive") || style.equals("blocking"))
        || !(mode.equals("polling") || mode.equals("webhook"))
        || !(service || mode.equals("polling"))) {
      throw new IllegalArgumentException("bad options (see the class comment): " + opt);
    }
    int[] warmupChatOf =
        Workload.chatsOf(warmupDist.equals("same") ? dist : warmupDist, warmup, warmupChats, zipfS);
    String loadStart = loadAverage();

    // The JDK server closes idle keep-alive connections beyond 200; the bot's pool holds more,
    // reuses one just closed and loses that reply (no retry on sendMessage). Keep them all.
    System.setProperty("sun.net.httpserver.maxIdleConnections", "100000");
    String fakeWarmUp = opt.getOrDefault("fake-warmup", "on");
    if (!fakeWarmUp.equals("on") && !fakeWarmUp.equals("off")) {
      throw new IllegalArgumentException("--fake-warmup must be on or off: " + fakeWarmUp);
    }
    FakeBotApi fake = FakeBotApi.start();
    // Before the fake's own warm-up, so that it is compiled for the latency it will answer with.
    fake.latency("sendMessage", Duration.ofMillis(latencyMs));
    if (fakeWarmUp.equals("on")) {
      long warmStart = System.nanoTime();
      try {
        FakeWarmUp.run(fake);
      } catch (Exception e) {
        System.err.println("FAILED: the fake's own warm-up: " + e);
        System.exit(1);
      }
      System.out.printf(
          "  the fake's own warm-up took %.1f s%n", (System.nanoTime() - warmStart) / 1e9);
    }
    try (ServiceProcess bot =
        service
            ? ServiceProcess.start(fake, mode, jar, jvmOpts, env, log)
            : ServiceProcess.startPeer(fake, botName, opt.getOrDefault("node", "node"), env, log)) {
      // Ctrl-C must not leave a service polling a dead port.
      Runtime.getRuntime().addShutdownHook(new Thread(bot::close));
      Sender sender = new Sender(mode, fake, bot.httpPort, connections);
      if (warmup > 0) {
        WarmUp.run(fake, bot, sender, service && mode.equals("polling"), warmupChatOf, timeout);
      }
      fake.reset();

      // Built before the clock starts; only handing them over is timed.
      Workload load = Workload.of(dist, n, chats, zipfS);
      // Read outside the CPU readings, so that producing the metrics is not charged to the updates.
      ServiceMeters metersBefore = service ? ServiceMeters.scrape(bot.httpPort) : null;
      Map<String, Long> threadsBefore = bot.threadTicks();
      long cpuBefore = bot.cpuTicks();
      long sysBefore = bot.sysTicks();
      long heapBefore = service && delayMs > 0 ? ServiceMeters.heapUsed(bot.httpPort) : 0;
      Occupancy occupancy =
          service && delayMs > 0 ? new Occupancy(bot.httpPort, fake, n, concurrency) : null;
      long driverCpuBefore = DriverSide.cpuNanos();
      Map<String, Long> driverThreadsBefore =
          ServiceProcess.threadTicks(ProcessHandle.current().pid());
      long t0 = System.nanoTime();
      long[] sentAt = sender.send(load.updates, load.chatOf, rate);
      await(fake, bot, n, timeout, "measured run");
      long driverCpu = DriverSide.cpuNanos() - driverCpuBefore;
      Map<String, Long> driverThreadsAfter =
          ServiceProcess.threadTicks(ProcessHandle.current().pid());
      if (occupancy != null) {
        occupancy.close();
      }
      long cpuAfter = bot.cpuTicks();
      long sysAfter = bot.sysTicks();
      Map<String, Long> threadsAfter = bot.threadTicks();
      long hwmKb = bot.peakRssKb();
      ServiceMeters metersAfter = service ? ServiceMeters.scrape(bot.httpPort) : null;

      if (opt.containsKey("dump-polls")) {
        DriverSide.writePolls(fake, t0, Path.of(opt.get("dump-polls")));
      }
      List<SentMessage> replies = fake.sentMessages();
      long[] arrival = match(replies, load);
      long[] answered = answered(fake, replies, load);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("case", opt.getOrDefault("case", "-"));
      m.put("bot", botName);
      m.put("mode", mode);
      m.put("dist", dist);
      m.put("chats", chats);
      m.put("updates", n);
      m.put("rate_target", fmt("%.0f", rate));
      m.put("concurrency", concurrency);
      m.put("delay_ms", delayMs);
      report(m, load, t0, sentAt, arrival, rate, connections, latencyMs, mode);
      Hops.report(m, load, sentAt, arrival, answered, latencyMs);
      if (service) {
        // The split needs the service's own timers; the peers have none.
        ServiceMeters.report(m, metersBefore, metersAfter, arrival, answered);
      }
      if (occupancy != null) {
        occupancy.report(m, concurrency, heapBefore);
      }
      m.put("cpu_s", fmt("%.2f", (cpuAfter - cpuBefore) / (double) ServiceProcess.HZ));
      m.put("us_per_update", fmt("%.1f", (cpuAfter - cpuBefore) * 1e6 / ServiceProcess.HZ / n));
      m.put("sys_us", fmt("%.1f", (sysAfter - sysBefore) * 1e6 / ServiceProcess.HZ / n));
      m.put("rss_mib", hwmKb / 1024);
      m.put("non200", sender.non200.get());
      m.put("forward_failures", sender.forwardFailures.get());
      if (mode.equals("polling")) {
        Deliveries.report(fake, load, m);
      }
      if (service) {
        // The JIT's work is mostly a one-time cost of a fresh process, spread over however long
        // the run lasts; shown apart so that a short run does not pass it off as a cost per
        // update. Node compiles on its main thread too, so the peers get no such split.
        long jit = delta(threadsBefore, threadsAfter, "C CompilerThre");
        m.put("jit_us", fmt("%.1f", jit * 1e6 / ServiceProcess.HZ / n));
        long noJit = cpuAfter - cpuBefore - jit;
        m.put("no_jit_us", fmt("%.1f", noJit * 1e6 / ServiceProcess.HZ / n));
      }
      // The driver and its fake share the machine with the service: their CPU, for context.
      m.put("driver_us", fmt("%.1f", driverCpu / 1e3 / n));
      // Other work on the machine skews every figure; the load average puts each run in context.
      m.put("load_start", loadStart);
      m.put("load_end", loadAverage());
      String threads = byThread(threadsBefore, threadsAfter, n);
      System.out.println("  bot CPU by thread group, us/update:" + threads);
      System.out.println(
          "  driver and fake CPU by thread group, us/update:"
              + byThread(driverThreadsBefore, driverThreadsAfter, n));
      StringBuilder line = new StringBuilder("RESULT");
      m.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
      System.out.println(line);
    } catch (Exception | Error e) {
      System.err.println("FAILED: " + e + " (service log: " + log + ")");
      e.printStackTrace();
      // The fake's server thread would keep this JVM, and so a whole series, waiting.
      System.exit(1);
    } finally {
      fake.close();
    }
    System.exit(0);
  }

  static Thread awaitInBackground(
      FakeBotApi fake, ServiceProcess bot, int count, Duration timeout, String what) {
    // Webhook posts block until answered, so the waiting must not wait for the sending.
    Thread t =
        new Thread(
            () -> {
              try {
                await(fake, bot, count, timeout, what);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    t.start();
    return t;
  }

  private static void await(
      FakeBotApi fake, ServiceProcess bot, int count, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int lastCount = -1;
    long lastProgress = System.nanoTime();
    // Short slices so a crashed service fails the run at once instead of after the timeout.
    while (!fake.awaitSentMessages(count, Duration.ofMillis(200))) {
      int got = fake.sentMessages().size();
      if (got != lastCount) {
        lastCount = got;
        lastProgress = System.nanoTime();
      }
      bot.checkAlive(Long.MAX_VALUE, what);
      // A lost reply never comes; no progress for this long means some did get lost.
      if (System.nanoTime() - lastProgress > Duration.ofSeconds(30).toNanos()) {
        throw new IllegalStateException(what + ": stalled at " + got + "/" + count + " replies");
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + ": " + got + "/" + count + " in " + timeout);
      }
    }
  }

  /** Pairs replies with updates by their unique text and checks each chat's order on the way. */
  private static long[] match(List<SentMessage> sent, Workload load) {
    long[] arrival = new long[load.n];
    for (SentMessage m : sent) {
      int at = m.text().indexOf(": m");
      int i = at < 0 ? -1 : Integer.parseInt(m.text().substring(at + 3));
      if (i < 0 || i >= load.n || arrival[i] != 0 || m.chatId() != 1 + load.chatOf[i]) {
        throw new IllegalStateException("unexpected, duplicate or misrouted reply: " + m.text());
      }
      // The demo bot counts per chat: the k-th update of a chat must be answered with k.
      if (!m.text().equals(load.expectedReply(i))) {
        throw new IllegalStateException("chat " + m.chatId() + " out of order: " + m.text());
      }
      arrival[i] = m.call().arrivalNanos();
    }
    for (int i = 0; i < load.n; i++) {
      if (arrival[i] == 0) {
        throw new IllegalStateException("no reply for update m" + i);
      }
    }
    return arrival;
  }

  /** When the fake finished writing each reply call's answer, by update index. */
  private static long[] answered(FakeBotApi fake, List<SentMessage> sent, Workload load) {
    long[] answered = new long[load.n];
    for (SentMessage m : sent) {
      int i = Integer.parseInt(m.text().substring(m.text().indexOf(": m") + 3));
      answered[i] = fake.answeredNanos(m.call());
    }
    return answered;
  }

  /**
   * Throughput against the critical-path bound: no schedule can finish before the busiest serial
   * path (a chat; in webhook mode also a connection) has had each of its updates answered, nor
   * before the last update was handed over.
   */
  private static void report(
      Map<String, Object> m,
      Workload load,
      long t0,
      long[] sentAt,
      long[] arrival,
      double rate,
      int connections,
      long latencyMs,
      String mode) {
    int n = load.n;
    long last = Arrays.stream(arrival).max().orElseThrow();
    long firstSent = Arrays.stream(sentAt).min().orElseThrow();
    double seconds = (last - firstSent) / 1e9;
    int serial = load.busiestChat();
    if (mode.equals("webhook")) {
      serial = Math.max(serial, load.busiestConnection(connections));
    }
    double pathS = serial * latencyMs / 1e3;
    double spanS = rate > 0 ? (n - 1) / rate : 0;
    double boundS = Math.max(pathS, spanS);
    long[] lat = new long[n];
    for (int i = 0; i < n; i++) {
      lat[i] = arrival[i] - sentAt[i];
    }
    Arrays.sort(lat);
    m.put("seconds", fmt("%.3f", seconds));
    m.put("rate", fmt("%.0f", n / seconds));
    m.put("busiest_path", serial);
    m.put("bound_s", fmt("%.3f", boundS));
    m.put("bound_pct", fmt("%.1f", 100 * boundS / seconds));
    m.put("p50_ms", fmt("%.1f", lat[(int) Math.ceil(0.50 * n) - 1] / 1e6));
    m.put("p99_ms", fmt("%.1f", lat[(int) Math.ceil(0.99 * n) - 1] / 1e6));
    m.put("max_ms", fmt("%.1f", lat[n - 1] / 1e6));
    System.out.printf(
        Locale.ROOT,
        "%s, %s over %d chats, %d updates, %s, sendMessage %d ms%n"
            + "  hand-over took %.1f ms; duration %.3f s -> %.0f updates/s%n"
            + "  bound: busiest serial path %d updates x %d ms = %.3f s, arrival span %.3f s"
            + " -> at %.1f%% of the bound%n",
        mode,
        m.get("dist"),
        load.chats,
        n,
        rate > 0 ? fmt("steady %.0f/s", rate) : "one burst",
        latencyMs,
        (Arrays.stream(sentAt).max().orElseThrow() - t0) / 1e6,
        seconds,
        n / seconds,
        serial,
        latencyMs,
        pathS,
        spanS,
        100 * boundS / seconds);
  }

  private static long delta(Map<String, Long> before, Map<String, Long> after, String group) {
    return after.getOrDefault(group, 0L) - before.getOrDefault(group, 0L);
  }

  private static String byThread(Map<String, Long> before, Map<String, Long> after, int n) {
    List<Map.Entry<String, Long>> rows = new ArrayList<>();
    after.forEach((k, v) -> rows.add(Map.entry(k, v - before.getOrDefault(k, 0L))));
    rows.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
    StringBuilder s = new StringBuilder();
    for (Map.Entry<String, Long> e : rows) {
      double us = e.getValue() * 1e6 / ServiceProcess.HZ / n;
      if (us >= 0.5) {
        s.append(String.format(Locale.ROOT, " [%s]=%.1f", e.getKey(), us));
      }
    }
    return s.toString();
  }

  private static String loadAverage() throws IOException {
    return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
  }

  private static String fmt(String format, double value) {
    return String.format(Locale.ROOT, format, value);
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> opt = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got: " + args[i]);
      }
      opt.put(args[i].substring(2), args[++i]);
    }
    return opt;
  }
}
