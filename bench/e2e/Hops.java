import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A busy chat's hop: the time between one reply call and its next update's reply call, beyond the
 * reply's own latency (answer transit, the service's work, hand-offs between threads and, on a
 * shared machine, time spent waiting for a CPU). Paid once per update on a chat's serial path, it
 * is what keeps a hot chat below its bound.
 */
final class Hops {

  private Hops() {}

  /**
   * Adds the hop figures to {@code m}: their p50, mean and p90; the mean split at the moment the
   * fake finished writing the previous answer (before it, the fake's part beyond the latency: its
   * sleep overshooting, then the write; after it, everything until the fake's handler sees the next
   * call, including the fake server handing the new exchange to a handler thread); and the bound
   * again with each reply taking as long as the fake really took to answer it.
   */
  static void report(
      Map<String, Object> m,
      Workload load,
      long[] sentAt,
      long[] arrival,
      long[] answered,
      long latencyMs) {
    long latency = latencyMs * 1_000_000;
    List<Long> hops = new ArrayList<>();
    long fake = 0;
    long after = 0;
    int split = 0;
    for (int[] pair : pairs(load, sentAt, arrival, latency)) {
      int prev = pair[0];
      int next = pair[1];
      hops.add(arrival[next] - arrival[prev] - latency);
      if (answered[prev] > 0) {
        fake += answered[prev] - arrival[prev] - latency;
        after += arrival[next] - answered[prev];
        split++;
      }
    }
    hops.sort(null);
    m.put("hop_ms_p50", fmt(hops.isEmpty() ? 0 : hops.get(hops.size() / 2) / 1e6));
    // The mean, not the median, is what a busy chat's throughput pays: a few long stalls (a chat
    // waiting for its next update to be fetched) hide behind a small median.
    m.put("hop_ms_mean", fmt(hops.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6));
    m.put("hop_ms_p90", fmt(hops.isEmpty() ? 0 : hops.get(hops.size() * 9 / 10) / 1e6));
    m.put("hop_fake_ms_mean", fmt(split == 0 ? 0 : fake / 1e6 / split));
    m.put("hop_after_answer_ms_mean", fmt(split == 0 ? 0 : after / 1e6 / split));
    long[] chatPath = new long[load.chats];
    for (int i = 0; i < load.n; i++) {
      chatPath[load.chatOf[i]] += answered[i] > 0 ? answered[i] - arrival[i] : latency;
    }
    double fakePathS = Arrays.stream(chatPath).max().orElse(0) / 1e9;
    double seconds = Double.parseDouble(String.valueOf(m.get("seconds")));
    double bound = Math.max(fakePathS, Double.parseDouble(String.valueOf(m.get("bound_s"))));
    m.put("fake_path_s", String.format(Locale.ROOT, "%.3f", fakePathS));
    m.put("bound_fake_pct", String.format(Locale.ROOT, "%.1f", 100 * bound / seconds));
  }

  /**
   * Consecutive reply calls {prev, next} of one chat, in arrival order, where the next update was
   * handed over before the previous one was answered, so the chat really had work waiting.
   */
  private static List<int[]> pairs(Workload load, long[] sentAt, long[] arrival, long latency) {
    int[] lastIndex = new int[load.chats];
    Arrays.fill(lastIndex, -1);
    Integer[] order = new Integer[load.n];
    for (int i = 0; i < load.n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compare(arrival[a], arrival[b]));
    List<int[]> pairs = new ArrayList<>();
    for (int i : order) {
      int c = load.chatOf[i];
      int prev = lastIndex[c];
      if (prev >= 0 && sentAt[i] <= arrival[prev] + latency) {
        pairs.add(new int[] {prev, i});
      }
      lastIndex[c] = i;
    }
    return pairs;
  }

  private static String fmt(double ms) {
    return String.format(Locale.ROOT, "%.2f", ms);
  }
}
