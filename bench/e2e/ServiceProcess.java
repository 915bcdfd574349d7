import dev.botrunner.testkit.FakeBotApi;
import java.io.File;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The bot under test as a child process against the fake Bot API, and what /proc says about it (CPU
 * ticks, per-thread CPU, peak RSS): the packaged service in polling or webhook mode, or one of the
 * Node peers in bench/peers/ (polling only).
 */
final class ServiceProcess implements AutoCloseable {

  /** How long a graceful stop may take before the process is killed. */
  private static final long EXIT_SECONDS = 5;

  /** How long a training run may take to write its AOT cache at exit. */
  private static final long AOT_CACHE_WRITE_SECONDS = 300;

  private long exitWaitSeconds = EXIT_SECONDS;

  static final String SECRET = "bench-secret";
  static final long HZ = clockTicksPerSecond();

  final Process process;
  final int httpPort;

  private ServiceProcess(Process process, int httpPort) {
    this.process = process;
    this.httpPort = httpPort;
  }

  /** The Node peers by their --bot name: the script in bench/peers/ that runs each. */
  static final Map<String, String> PEERS =
      Map.of("grammy", "bench/peers/grammy-bot.mjs", "ceiling", "bench/peers/ceiling-bot.mjs");

  /**
   * Starts a Node peer (see bench/peers/README.md) in polling mode and waits for its first
   * getUpdates, as {@link #start} does for the service, so that start-up is not measured.
   */
  static ServiceProcess startPeer(
      FakeBotApi fake, String bot, String node, Map<String, String> env, Path log)
      throws IOException {
    String script = PEERS.get(bot);
    if (script == null || !Files.isRegularFile(Path.of(script))) {
      throw new IllegalStateException("no peer " + bot + " (expected one of " + PEERS + ")");
    }
    if (!Files.isDirectory(Path.of("bench/peers/node_modules"))) {
      throw new IllegalStateException("run npm install in bench/peers first (bench/e2e.sh does)");
    }
    ProcessBuilder pb = new ProcessBuilder(node, script);
    pb.environment().putAll(env);
    pb.environment().put("BOT_TOKEN", FakeBotApi.TOKEN);
    pb.environment().put("BOT_API_URL", fake.baseUrl());
    Files.createDirectories(log.toAbsolutePath().getParent());
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    ServiceProcess peer = new ServiceProcess(pb.start(), -1);
    peer.awaitFirstPoll(fake);
    return peer;
  }

  static ServiceProcess start(
      FakeBotApi fake,
      String mode,
      String jar,
      String jvmOpts,
      Map<String, String> settings,
      Path log)
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
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Map<String, String> env = pb.environment();
    env.putAll(settings);
    env.put("BOT_TOKEN", FakeBotApi.TOKEN);
    env.put("BOT_API_URL", fake.baseUrl());
    env.put("BOT_MODE", mode);
    env.put("BOT_POLLING_TIMEOUT", "1");
    env.put("BOT_WEBHOOK_SECRET", SECRET);
    env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
    Files.createDirectories(log.toAbsolutePath().getParent());
    // A file, not a pipe: nobody drains a pipe during the run, and a full one would stall the bot.
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    ServiceProcess service = new ServiceProcess(pb.start(), port);
    if (jvmOpts.contains("-XX:AOTCacheOutput")) {
      // A JDK 25 training run writes its AOT cache as it exits: that takes a while.
      service.exitWaitSeconds = AOT_CACHE_WRITE_SECONDS;
    }
    if (mode.equals("polling")) {
      service.awaitFirstPoll(fake);
    } else {
      service.awaitReady();
    }
    return service;
  }

  private void awaitFirstPoll(FakeBotApi fake) throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (fake.getUpdatesCalls().isEmpty()) {
      checkAlive(deadline, "poll");
      sleep(20);
    }
  }

  private void awaitReady() throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    HttpClient http = HttpClient.newHttpClient();
    URI ready = URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready");
    while (true) {
      checkAlive(deadline, "get ready");
      try {
        HttpRequest get = HttpRequest.newBuilder(ready).build();
        if (http.send(get, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      sleep(50);
    }
  }

  void checkAlive(long deadlineNanos, String what) {
    if (!process.isAlive()) {
      throw new IllegalStateException("service exited with " + process.exitValue());
    }
    if (System.nanoTime() > deadlineNanos) {
      throw new IllegalStateException("service did not " + what + " within 60 s");
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** utime + stime of the process, in clock ticks (fields 14 and 15 of /proc/PID/stat). */
  long cpuTicks() throws IOException {
    return ticks(Path.of("/proc/" + process.pid() + "/stat"));
  }

  /** stime alone: the kernel's share (system calls, wake-ups), field 15 of /proc/PID/stat. */
  long sysTicks() throws IOException {
    return statFields(Path.of("/proc/" + process.pid() + "/stat"))[1];
  }

  private static long ticks(Path stat) throws IOException {
    long[] f = statFields(stat);
    return f[0] + f[1];
  }

  private static long[] statFields(Path stat) throws IOException {
    String text = Files.readString(stat);
    // The command name may contain spaces; fields are counted from after its closing paren.
    String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
  }

  /**
   * CPU ticks per thread group: thread names (/proc/PID/task/TID/comm, at most 15 characters) with
   * digits removed, so the 40 executor threads add up to one entry. A thread that ended during the
   * run is missing from the later snapshot; the process total is the authoritative figure.
   */
  Map<String, Long> threadTicks() throws IOException {
    return threadTicks(process.pid());
  }

  /** {@link #threadTicks()} of any process, e.g. the driver's own. */
  static Map<String, Long> threadTicks(long pid) throws IOException {
    Map<String, Long> byGroup = new HashMap<>();
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : tasks.toList()) {
        try {
          String name = Files.readString(task.resolve("comm")).trim().replaceAll("[0-9#]+", "");
          byGroup.merge(name, ticks(task.resolve("stat")), Long::sum);
        } catch (IOException e) {
          // the thread ended between listing and reading
        }
      }
    }
    return byGroup;
  }

  /** Peak resident set (VmHWM) over the process's life, in KiB. */
  long peakRssKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
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

  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    try {
      process.destroy();
      if (!process.waitFor(exitWaitSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
