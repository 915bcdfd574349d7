import dev.botrunner.testkit.FakeBotApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Map;

/**
 * How full the service kept its slots in a slow case: samples the service's {@code
 * botrunner_scheduler_running} gauge every {@link #EVERY_MS} ms while at least as many updates as
 * the limit were still unanswered, when a full pipe has every slot busy. Reported as {@code
 * occupancy_pct} (mean running ÷ the limit) and {@code running_min}. Only for slow cases: each
 * sample costs the service a metrics read.
 */
final class Occupancy implements AutoCloseable {

  /** Sampling period. */
  static final long EVERY_MS = 250;

  private final Thread sampler;
  private volatile boolean stop;
  private long sum;
  private long samples;
  private long min = Long.MAX_VALUE;
  private long heapPeak;

  Occupancy(int port, FakeBotApi fake, int n, int concurrency) {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest get =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics")).build();
    sampler =
        new Thread(
            () -> {
              while (!stop) {
                try {
                  Thread.sleep(EVERY_MS);
                  if (fake.sentMessages().size() > n - concurrency) {
                    continue; // the tail: fewer updates left than slots
                  }
                  String text = http.send(get, HttpResponse.BodyHandlers.ofString()).body();
                  long running = gauge(text, "botrunner_scheduler_running ");
                  long heap = heapUsed(text);
                  // Counted only if still before the tail once the read is back.
                  if (running >= 0 && fake.sentMessages().size() <= n - concurrency) {
                    synchronized (this) {
                      sum += running;
                      samples++;
                      min = Math.min(min, running);
                      heapPeak = Math.max(heapPeak, heap);
                    }
                  }
                } catch (InterruptedException e) {
                  return;
                } catch (Exception e) {
                  // a failed read is a missing sample
                }
              }
            },
            "occupancy");
    sampler.setDaemon(true);
    sampler.start();
  }

  private static long gauge(String text, String series) {
    for (String line : text.split("\n")) {
      if (line.startsWith(series)) {
        return Math.round(Double.parseDouble(line.substring(series.length()).trim()));
      }
    }
    return -1;
  }

  /** The heap in use, all pools together ({@code jvm_memory_used_bytes{area="heap"}}), in bytes. */
  static long heapUsed(String text) {
    long total = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        total += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }

  /**
   * Adds {@code occupancy_pct}, {@code running_min}, {@code occupancy_samples}, the heap's peak in
   * use while the slots were full ({@code heap_peak_mib}) and, with {@code heapBefore} (the heap in
   * use just before the burst), {@code heap_kib_per_slot}: the peak's growth over the heap before,
   * per slot. It counts garbage not yet collected too, so it bounds what an update in flight holds.
   */
  synchronized void report(Map<String, Object> m, int concurrency, long heapBefore) {
    m.put("heap_peak_mib", heapPeak / (1024 * 1024));
    m.put(
        "heap_kib_per_slot",
        String.format(Locale.ROOT, "%.1f", (heapPeak - heapBefore) / 1024.0 / concurrency));
    m.put(
        "occupancy_pct",
        samples == 0
            ? "NaN"
            : String.format(Locale.ROOT, "%.1f", 100.0 * sum / samples / concurrency));
    m.put("running_min", samples == 0 ? -1 : min);
    m.put("occupancy_samples", samples);
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    sampler.interrupt();
    sampler.join();
  }
}
