import dev.botrunner.testkit.FakeBotApi;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs {@link FloorClient} as a child process against the in-process fake Bot API (sendMessage
 * answers after 5 ms, as in the end-to-end cases), so that the child's CPU is its own:
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
      Process child = new ProcessBuilder(cmd).inheritIO().start();
      int rc = child.waitFor();
      if (rc != 0) {
        throw new IllegalStateException("FloorClient exited with " + rc);
      }
    } finally {
      fake.close();
    }
    System.exit(0);
  }
}
