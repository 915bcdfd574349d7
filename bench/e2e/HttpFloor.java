import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.SentMessage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Runs {@link FloorClient} as a child process against the in-process fake Bot API (sendMessage
 * answers after 5 ms, as in the end-to-end cases), so that the child's CPU is its own; then prints
 * the wire's share of a call: the client's time per call minus the fake's (see {@link
 * ServiceMeters} for the same split of the service's calls):
 *
 * <pre>
 * java -cp ... HttpFloor webclient|httpclient WARMUP CALLS CONCURRENCY [TIMEOUT_MS] [JVM options...]
 * </pre>
 */
public final class HttpFloor {

  private HttpFloor() {}

  public static void main(String[] args) throws Exception {
    // As in LoadDriver: the JDK server must not close the client's idle pooled connections.
    System.setProperty("sun.net.httpserver.maxIdleConnections", "100000");
    FakeBotApi fake = FakeBotApi.start();
    fake.latency("sendMessage", Duration.ofMillis(5));
    try {
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(Arrays.asList(args).subList(Math.min(5, args.length), args.length));
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "FloorClient"));
      cmd.addAll(List.of(fake.baseUrl(), FakeBotApi.TOKEN));
      cmd.addAll(Arrays.asList(args).subList(0, Math.min(5, args.length)));
      Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      double clientCallMs = Double.NaN;
      int calls = Integer.parseInt(args[2]);
      try (var out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
        for (String line; (line = out.readLine()) != null; ) {
          System.out.println(line);
          int at = line.indexOf("call_ms=");
          if (line.startsWith("FLOOR") && at >= 0) {
            clientCallMs = Double.parseDouble(line.substring(at + 8).split(" ")[0]);
          }
        }
      }
      int rc = child.waitFor();
      if (rc != 0) {
        throw new IllegalStateException("FloorClient exited with " + rc);
      }
      // The measured calls are the last ones to arrive; the fake's own time for each is from its
      // handler's start to the answer written, as in LoadDriver's hop split.
      List<Long> fakeNanos = new ArrayList<>();
      List<SentMessage> sent = new ArrayList<>(fake.sentMessages());
      sent.sort(Comparator.comparingLong(m -> m.call().arrivalNanos()));
      for (SentMessage m : sent.subList(Math.max(0, sent.size() - calls), sent.size())) {
        fakeNanos.add(fake.answeredNanos(m.call()) - m.call().arrivalNanos());
      }
      double fakeCallMs = fakeNanos.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6;
      System.out.println(
          String.format(
              Locale.ROOT,
              "WIRE client_call_ms=%.3f fake_call_ms=%.3f wire_ms=%.3f",
              clientCallMs,
              fakeCallMs,
              clientCallMs - fakeCallMs));
    } finally {
      fake.close();
    }
    System.exit(0);
  }
}
