package dev.botrunner.internal.client;

import dev.botrunner.TelegramApiException;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts and times every HTTP attempt of the Bot API client, per method and outcome, in plain Java
 * so that the operations code can turn it into meters. One attempt is one HTTP request: a call
 * retried twice counts three times. The method name comes from the telegrambots-meta class (e.g.
 * {@code sendMessage}), never from the request path, so the token cannot end up in a name or tag.
 *
 * <p>Outcomes: {@code ok}; Telegram's error code as text ({@code 400}, {@code 429}, ...) when it
 * answered {@code ok:false}; {@code transport} when no usable answer came (timeout, reset, non-JSON
 * body).
 */
public final class ApiCallStats {

  /** The outcome of a successful attempt. */
  public static final String OK = "ok";

  /** The outcome of an attempt that got no usable answer. */
  public static final String TRANSPORT = "transport";

  /** Upper bounds (inclusive, milliseconds) of the latency buckets; a last bucket is unbounded. */
  public static final long[] BUCKET_BOUNDS_MILLIS = {
    5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000
  };

  /** A method and outcome pair. */
  public record Key(String method, String outcome) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int c = method.compareTo(o.method);
      return c != 0 ? c : outcome.compareTo(o.outcome);
    }
  }

  /**
   * A point-in-time copy of one series.
   *
   * @param count attempts
   * @param totalNanos summed latency
   * @param maxNanos largest latency seen
   * @param buckets attempts per latency bucket, {@link #BUCKET_BOUNDS_MILLIS} then one overflow
   *     bucket (not cumulative)
   */
  public record Snapshot(long count, long totalNanos, long maxNanos, long[] buckets) {
    /**
     * @return the mean latency in nanoseconds, 0 without attempts
     */
    public long meanNanos() {
      return count == 0 ? 0 : totalNanos / count;
    }

    @Override
    public String toString() {
      return "Snapshot[count="
          + count
          + ", totalNanos="
          + totalNanos
          + ", maxNanos="
          + maxNanos
          + ", buckets="
          + Arrays.toString(buckets)
          + "]";
    }
  }

  private static final class Series {
    final LongAdder count = new LongAdder();
    final LongAdder total = new LongAdder();
    final LongAccumulator max = new LongAccumulator(Math::max, 0);
    final AtomicLongArray buckets = new AtomicLongArray(BUCKET_BOUNDS_MILLIS.length + 1);

    void record(long nanos) {
      count.increment();
      total.add(nanos);
      max.accumulate(nanos);
      buckets.incrementAndGet(bucketOf(nanos));
    }

    Snapshot snapshot() {
      long[] copy = new long[buckets.length()];
      for (int i = 0; i < copy.length; i++) {
        copy[i] = buckets.get(i);
      }
      return new Snapshot(count.sum(), total.sum(), max.get(), copy);
    }
  }

  private final Map<Key, Series> series = new ConcurrentHashMap<>();

  static int bucketOf(long nanos) {
    long millis = (nanos + 999_999) / 1_000_000;
    for (int i = 0; i < BUCKET_BOUNDS_MILLIS.length; i++) {
      if (millis <= BUCKET_BOUNDS_MILLIS[i]) {
        return i;
      }
    }
    return BUCKET_BOUNDS_MILLIS.length;
  }

  /**
   * @param failure what an attempt failed with, or null for success
   * @return the outcome tag for it
   */
  public static String outcomeOf(Throwable failure) {
    if (failure == null) {
      return OK;
    }
    if (failure instanceof TelegramApiException api) {
      return Integer.toString(api.errorCode());
    }
    return TRANSPORT;
  }

  /**
   * Records one attempt.
   *
   * @param method the Bot API method name
   * @param outcome {@link #OK}, an error code, or {@link #TRANSPORT}
   * @param nanos how long the attempt took
   */
  public void record(String method, String outcome, long nanos) {
    series.computeIfAbsent(new Key(method, outcome), k -> new Series()).record(Math.max(0, nanos));
    Listener current = listener;
    if (current != null) {
      current.recorded(method, outcome, nanos);
    }
  }

  /** Hears every recorded attempt, e.g. to feed a metrics registry. */
  @FunctionalInterface
  public interface Listener {
    /**
     * @param method the Bot API method name (never the request path)
     * @param outcome {@link #OK}, an error code, or {@link #TRANSPORT}
     * @param nanos how long the attempt took
     */
    void recorded(String method, String outcome, long nanos);
  }

  private volatile Listener listener;

  /**
   * @param listener hears every attempt from now on; replaces the previous one
   */
  public void setListener(Listener listener) {
    this.listener = listener;
  }

  /**
   * @param method the Bot API method name
   * @param outcome the outcome
   * @return the series, all zero when nothing was recorded for it
   */
  public Snapshot get(String method, String outcome) {
    Series s = series.get(new Key(method, outcome));
    return s == null
        ? new Snapshot(0, 0, 0, new long[BUCKET_BOUNDS_MILLIS.length + 1])
        : s.snapshot();
  }

  /**
   * @return every series recorded so far, sorted by method then outcome
   */
  public Map<Key, Snapshot> snapshot() {
    Map<Key, Snapshot> copy = new TreeMap<>();
    series.forEach((k, s) -> copy.put(k, s.snapshot()));
    return copy;
  }
}
