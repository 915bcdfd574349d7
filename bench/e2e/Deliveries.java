import dev.botrunner.testkit.FakeBotApi;
import java.util.Locale;
import java.util.Map;

/**
 * How a polling bot fetched the measured updates, from the fake's own count of the getUpdates
 * answers that carried each one. Issue 17 asks for at most one delivery per update in steady state:
 * an update handed out again (its chat's earlier updates still unconfirmed, the offset held back)
 * is decoded again and costs the bot and the server work that does not move anything.
 */
final class Deliveries {

  private Deliveries() {}

  /**
   * Adds to {@code m}: {@code get_updates} (getUpdates calls during the measured part), {@code
   * deliveries} (mean answers per measured update), {@code deliveries_max}, {@code resent}
   * (deliveries beyond the first, summed) and {@code resent_updates} (updates delivered more than
   * once). Call after {@link FakeBotApi#reset()} and the measured part.
   */
  static void report(FakeBotApi fake, Workload load, Map<String, Object> m) {
    long total = 0;
    int max = 0;
    int again = 0;
    for (var update : load.updates) {
      int d = fake.deliveries(update.getUpdateId());
      total += d;
      max = Math.max(max, d);
      again += d > 1 ? 1 : 0;
    }
    m.put("get_updates", fake.getUpdatesCalls().size());
    m.put("deliveries", String.format(Locale.ROOT, "%.3f", total / (double) load.n));
    m.put("deliveries_max", max);
    m.put("resent", total - load.n);
    m.put("resent_updates", again);
  }
}
