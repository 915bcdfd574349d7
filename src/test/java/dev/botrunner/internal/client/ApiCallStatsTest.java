package dev.botrunner.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.TelegramApiException;
import dev.botrunner.TelegramTransportException;
import org.junit.jupiter.api.Test;

class ApiCallStatsTest {

  @Test
  void countsAndTimesPerMethodAndOutcome() {
    ApiCallStats stats = new ApiCallStats();
    stats.record("sendMessage", ApiCallStats.OK, 3_000_000);
    stats.record("sendMessage", ApiCallStats.OK, 40_000_000);
    stats.record(
        "sendMessage",
        ApiCallStats.outcomeOf(new TelegramApiException("sendMessage", 429, "x", 1, null)),
        1_000_000);
    stats.record(
        "getMe",
        ApiCallStats.outcomeOf(new TelegramTransportException("getMe", "reset")),
        120_000_000_000L);

    ApiCallStats.Snapshot ok = stats.get("sendMessage", "ok");
    assertEquals(2, ok.count());
    assertEquals(43_000_000, ok.totalNanos());
    assertEquals(40_000_000, ok.maxNanos());
    assertEquals(21_500_000, ok.meanNanos());
    assertEquals(1, ok.buckets()[0]); // <= 5 ms
    assertEquals(1, ok.buckets()[3]); // <= 50 ms
    assertEquals(1, stats.get("sendMessage", "429").count());
    ApiCallStats.Snapshot transport = stats.get("getMe", "transport");
    assertEquals(1, transport.buckets()[ApiCallStats.BUCKET_BOUNDS_MILLIS.length]); // overflow
    assertEquals(0, stats.get("sendPhoto", "ok").count());
    assertEquals(3, stats.snapshot().size());
    assertEquals("getMe", stats.snapshot().keySet().iterator().next().method());
    assertTrue(stats.snapshot().containsKey(new ApiCallStats.Key("sendMessage", "429")));
  }
}
