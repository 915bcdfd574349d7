import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Map;

/**
 * Two of the service's own timers, read from its {@code /q/metrics}: how long a sendMessage call
 * and a whole update took as the service saw them. Read before and after the measured part, they
 * split a busy chat's hop between the wire, the service's work inside an update, and the time
 * between one update of a chat ending and the next one starting.
 */
final class ServiceMeters {

  private final double callSeconds;
  private final double calls;
  private final double updateSeconds;
  private final double updates;

  private ServiceMeters(double callSeconds, double calls, double updateSeconds, double updates) {
    this.callSeconds = callSeconds;
    this.calls = calls;
    this.updateSeconds = updateSeconds;
    this.updates = updates;
  }

  static ServiceMeters scrape(int port) throws IOException, InterruptedException {
    HttpRequest get =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics")).build();
    String text = HttpClient.newHttpClient().send(get, HttpResponse.BodyHandlers.ofString()).body();
    String call = "method=\"sendMessage\"";
    String message = "type=\"message\"";
    return new ServiceMeters(
        sum(text, "botrunner_api_calls_seconds_sum{", call),
        sum(text, "botrunner_api_calls_seconds_count{", call),
        sum(text, "botrunner_update_processing_seconds_sum{", message),
        sum(text, "botrunner_update_processing_seconds_count{", message));
  }

  /** The heap in use just now, from the service's metrics, in bytes. */
  static long heapUsed(int port) throws IOException, InterruptedException {
    HttpRequest get =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics")).build();
    return Occupancy.heapUsed(
        HttpClient.newHttpClient().send(get, HttpResponse.BodyHandlers.ofString()).body());
  }

  private static double sum(String text, String series, String label) {
    double total = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(series) && line.contains(label)) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }

  /**
   * Adds the split of {@code hop_after_answer_ms_mean} (already in {@code m}) to {@code m}:
   *
   * <ul>
   *   <li>{@code svc_call_ms}: a sendMessage call as the service timed it;
   *   <li>{@code fake_call_ms}: the same calls from the fake handler's start to its answer written;
   *   <li>{@code wire_ms}: the difference, both directions of the loopback connection plus the fake
   *       server handing each request to a handler thread;
   *   <li>{@code svc_work_ms}: an update as the service timed it minus its call (middleware,
   *       session, encoding and decoding, before and after the call);
   *   <li>{@code between_ms}: what is left of the hop, from one update of a chat ending to the next
   *       one starting (the scheduler's release and the next task's start). Meaningful where every
   *       update waits for its chat, as in the 10-chat cases.
   * </ul>
   */
  static void report(
      Map<String, Object> m,
      ServiceMeters before,
      ServiceMeters after,
      long[] arrival,
      long[] answered) {
    double svcCall = 1000 * (after.callSeconds - before.callSeconds) / (after.calls - before.calls);
    double svcUpdate =
        1000 * (after.updateSeconds - before.updateSeconds) / (after.updates - before.updates);
    long fake = 0;
    int answers = 0;
    for (int i = 0; i < arrival.length; i++) {
      if (answered[i] > 0) {
        fake += answered[i] - arrival[i];
        answers++;
      }
    }
    double fakeCall = answers == 0 ? Double.NaN : fake / 1e6 / answers;
    double wire = svcCall - fakeCall;
    double work = svcUpdate - svcCall;
    double afterAnswer = Double.parseDouble(String.valueOf(m.get("hop_after_answer_ms_mean")));
    m.put("svc_call_ms", fmt(svcCall));
    m.put("fake_call_ms", fmt(fakeCall));
    m.put("wire_ms", fmt(wire));
    m.put("svc_work_ms", fmt(work));
    m.put("between_ms", fmt(afterAnswer - wire - work));
  }

  private static String fmt(double ms) {
    return String.format(Locale.ROOT, "%.3f", ms);
  }
}
