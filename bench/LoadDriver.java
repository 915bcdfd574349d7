import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.SentMessage;
import dev.botrunner.testkit.Updates;
import java.io.File;
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
import java.util.concurrent.TimeUnit;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * End-to-end load run of the packaged service against an in-process fake Bot API. Run with the
 * single-file source launcher (see bench/e2e.sh for the classpath):
 *
 * <pre>
 * java -cp CLASSPATH bench/LoadDriver.java [--updates 20000] [--chats 1000] [--warmup 2000]
 *     [--latency-ms 5] [--jvm-opts "-Xmx256m"] [--jar target/quarkus-app/quarkus-run.jar]
 *     [--timeout-s 300] [--log target/bench-service.log]
 * </pre>
 *
 * <p>One run per process: each run gets a fresh service, so runs are independent samples and
 * sessions from earlier runs do not pile up. The last line is {@code RESULT key=value ...} for the
 * script to aggregate.
 */
public class LoadDriver {

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = parse(args);
    int n = Integer.parseInt(opt.getOrDefault("updates", "20000"));
    int chats = Integer.parseInt(opt.getOrDefault("chats", "1000"));
    int warmup = Integer.parseInt(opt.getOrDefault("warmup", "2000"));
    long latencyMs = Long.parseLong(opt.getOrDefault("latency-ms", "5"));
    String jvmOpts = opt.getOrDefault("jvm-opts", "");
    String jar = opt.getOrDefault("jar", "target/quarkus-app/quarkus-run.jar");
    Duration timeout = Duration.ofSeconds(Long.parseLong(opt.getOrDefault("timeout-s", "300")));
    Path log = Path.of(opt.getOrDefault("log", "target/bench-service.log"));
    if (n <= 0 || chats <= 0 || warmup < 0) {
      throw new IllegalArgumentException("--updates and --chats must be > 0, --warmup >= 0");
    }

    // The JDK server closes idle keep-alive connections beyond 200; the bot's pool holds more,
    // reuses one just closed and loses that reply (no retry on sendMessage). Keep them all.
    System.setProperty("sun.net.httpserver.maxIdleConnections", "100000");
    FakeBotApi fake = FakeBotApi.start();
    fake.latency("sendMessage", Duration.ofMillis(latencyMs));
    Process bot = null;
    try {
      bot = startService(fake, jar, jvmOpts, log);
      final Process started = bot;
      // Ctrl-C must not leave a service polling a dead port.
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(started)));
      awaitFirstPoll(fake, bot, log);

      if (warmup > 0) {
        // Other chat ids, so the measured chats start with empty sessions (count 1, 2, ...).
        List<Update> w = new ArrayList<>(warmup);
        for (int i = 0; i < warmup; i++) {
          w.add(Updates.text(1_000_000L + i % chats, 1_000_000L + i % chats, "w" + i));
        }
        fake.enqueue(w);
        await(fake, bot, warmup, timeout, "warm-up");
      }
      fake.reset();

      // Built before the clock starts; only making them visible to getUpdates is timed.
      List<Update> updates = new ArrayList<>(n);
      int[] chatOf = new int[n];
      int[] perChat = new int[chats];
      for (int i = 0; i < n; i++) {
        int c = i % chats;
        chatOf[i] = c;
        perChat[c]++;
        updates.add(Updates.text(1 + c, 1 + c, "m" + i));
      }

      long cpuBefore = cpuTicks(bot.pid());
      long t0 = System.nanoTime();
      fake.enqueue(updates);
      long enqueued = System.nanoTime();
      await(fake, bot, n, timeout, "measured run");
      long cpuAfter = cpuTicks(bot.pid());
      long hwmKb = vmHwmKb(bot.pid());

      Result r = match(fake.sentMessages(), n, chats, chatOf, enqueued);
      Run run = new Run(n, chats, latencyMs, perChat, jvmOpts);
      report(run, t0, enqueued, r, cpuAfter - cpuBefore, hwmKb);
    } catch (Exception | Error e) {
      System.err.println("FAILED: " + e.getMessage() + " (service log: " + log + ")");
      throw e;
    } finally {
      stop(bot);
      fake.close();
    }
  }

  private static Process startService(FakeBotApi fake, String jar, String jvmOpts, Path log)
      throws IOException {
    if (!Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException(jar + " not found; build with ./mvnw package first");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (!jvmOpts.isBlank()) {
      cmd.addAll(Arrays.asList(jvmOpts.trim().split("\\s+")));
    }
    cmd.add("-jar");
    cmd.add(jar);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Map<String, String> env = pb.environment();
    env.put("BOT_TOKEN", FakeBotApi.TOKEN);
    env.put("BOT_API_URL", fake.baseUrl());
    env.put("BOT_MODE", "polling");
    env.put("BOT_POLLING_TIMEOUT", "1");
    env.put("QUARKUS_HTTP_PORT", "0");
    Files.createDirectories(log.toAbsolutePath().getParent());
    // A file, not a pipe: nobody drains a pipe during the run, and a full one would stall the bot.
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    return pb.start();
  }

  private static void awaitFirstPoll(FakeBotApi fake, Process bot, Path log)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (fake.getUpdatesCalls().isEmpty()) {
      if (!bot.isAlive()) {
        throw new IllegalStateException("service exited with " + bot.exitValue());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("service did not poll within 60 s");
      }
      Thread.sleep(20);
    }
  }

  private static void await(FakeBotApi fake, Process bot, int count, Duration timeout, String what)
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
      if (!bot.isAlive()) {
        throw new IllegalStateException(what + ": service exited with " + bot.exitValue());
      }
      // A lost reply never comes; no progress for this long means some did get lost.
      if (System.nanoTime() - lastProgress > Duration.ofSeconds(30).toNanos()) {
        throw new IllegalStateException(what + ": stalled at " + got + "/" + count + " replies");
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            what + ": only " + got + "/" + count + " replies in " + timeout);
      }
    }
  }

  record Result(long[] latencies, long lastReply) {}

  /** Pairs replies with updates by their unique text and checks per-chat order on the way. */
  private static Result match(
      List<SentMessage> sent, int n, int chats, int[] chatOf, long enqueued) {
    long[] arrival = new long[n];
    Map<Long, Integer> seen = new HashMap<>();
    for (SentMessage m : sent) {
      int colon = m.text().indexOf(": m");
      if (colon < 0) {
        throw new IllegalStateException("unexpected reply: " + m.text());
      }
      int count = Integer.parseInt(m.text().substring(0, colon));
      int i = Integer.parseInt(m.text().substring(colon + 3));
      if (i < 0 || i >= n || arrival[i] != 0 || m.chatId() != 1 + chatOf[i]) {
        throw new IllegalStateException("duplicate or misrouted reply: " + m.text());
      }
      // The demo bot counts per chat, so the k-th reply of a chat must say k and answer the
      // chat's k-th update (round-robin: update i is the (i / chats + 1)-th of its chat).
      int expected = seen.merge(m.chatId(), 1, Integer::sum);
      if (count != expected || i / chats + 1 != expected) {
        throw new IllegalStateException("chat " + m.chatId() + " out of order: " + m.text());
      }
      arrival[i] = m.call().arrivalNanos();
    }
    long[] lat = new long[n];
    long last = Long.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      if (arrival[i] == 0) {
        throw new IllegalStateException("no reply for update m" + i);
      }
      lat[i] = arrival[i] - enqueued;
      last = Math.max(last, arrival[i]);
    }
    Arrays.sort(lat);
    return new Result(lat, last);
  }

  private static void report(Run run, long t0, long enq, Result r, long ticks, long hwmKb) {
    int n = run.n();
    double s = (r.lastReply() - enq) / 1e9;
    int busiest = Arrays.stream(run.perChat()).max().orElse(0);
    double boundS = busiest * run.latencyMs() / 1e3;
    double cpu = ticks / (double) clockTicksPerSecond();
    long[] lat = r.latencies();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("updates", n);
    m.put("chats", run.chats());
    m.put("seconds", fmt("%.3f", s));
    m.put("rate", fmt("%.0f", n / s));
    m.put("bound_pct", fmt("%.1f", 100 * boundS / s));
    m.put("p50_ms", fmt("%.1f", ms(lat[(int) Math.ceil(0.50 * n) - 1])));
    m.put("p99_ms", fmt("%.1f", ms(lat[(int) Math.ceil(0.99 * n) - 1])));
    m.put("max_ms", fmt("%.1f", ms(lat[n - 1])));
    m.put("cpu_s", fmt("%.2f", cpu));
    m.put("us_per_update", fmt("%.1f", cpu / n * 1e6));
    m.put("rss_mib", hwmKb / 1024);
    String text =
        """
        %s updates over %s chats, sendMessage latency %d ms, JVM options [%s]
          enqueue (JSON + hand-over; the clock starts after it): %s ms
          duration: %s s  ->  %s updates/s
          critical path: busiest chat %d updates x %d ms = %s s minimum  ->  at %s%% of bound
          update-to-reply p50 %s ms, p99 %s ms, max %s ms
            (one burst: mostly time spent queued behind earlier updates, not per-update cost)
          bot CPU: %s s total, %s CPU-s/update = %s us/update; peak RSS %s MiB
        """;
    System.out.print(
        text.formatted(
            n,
            run.chats(),
            run.latencyMs(),
            run.jvmOpts(),
            fmt("%.1f", ms(enq - t0)),
            m.get("seconds"),
            m.get("rate"),
            busiest,
            run.latencyMs(),
            fmt("%.3f", boundS),
            m.get("bound_pct"),
            m.get("p50_ms"),
            m.get("p99_ms"),
            m.get("max_ms"),
            m.get("cpu_s"),
            fmt("%.2e", cpu / n),
            m.get("us_per_update"),
            m.get("rss_mib")));
    StringBuilder line = new StringBuilder("RESULT");
    m.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
    System.out.println(line);
  }

  record Run(int n, int chats, long latencyMs, int[] perChat, String jvmOpts) {}

  private static String fmt(String format, double value) {
    return String.format(Locale.ROOT, format, value);
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  /** utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat). */
  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    // The command name may contain spaces; fields are counted from after its closing paren.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  private static long vmHwmKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  private static long clockTicksPerSecond() {
    try {
      Process p =
          new ProcessBuilder("getconf", "CLK_TCK").redirectError(new File("/dev/null")).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      return p.waitFor() == 0 ? Long.parseLong(out) : 100;
    } catch (IOException | InterruptedException | NumberFormatException e) {
      return 100; // the Linux default on every common architecture
    }
  }

  private static void stop(Process bot) {
    if (bot == null || !bot.isAlive()) {
      return;
    }
    try {
      bot.destroy();
      if (!bot.waitFor(5, TimeUnit.SECONDS)) {
        bot.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      bot.destroyForcibly();
      Thread.currentThread().interrupt();
    }
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
