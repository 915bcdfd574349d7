package dev.botrunner.internal.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.internal.logging.LogCapture;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** One prober per outage, the others wait for it; one log line per period, not one per update. */
class StoreOutageTest {

  private final AtomicLong now = new AtomicLong();
  private final StoreOutage outage = new StoreOutage(now::get);

  @Test
  void oneUpdateProbesTheOthersWaitForTheGate() {
    assertNull(outage.whenOpen(), "open until a failure");
    CompletableFuture<Void> probe = outage.held(1, "refused", 0).subscribeAsCompletionStage();
    CompletableFuture<Void> waiter = outage.held(2, "refused", 0).subscribeAsCompletionStage();
    assertNotNull(outage.whenOpen(), "closed: new updates wait");
    probe.orTimeout(5, TimeUnit.SECONDS).join(); // the prober's backoff ran out
    assertFalse(waiter.isDone(), "the others wait for the store, not for a timer");
    outage.reached(true);
    waiter.orTimeout(5, TimeUnit.SECONDS).join();
    assertNull(outage.whenOpen(), "open again");
  }

  @Test
  void theOutageIsLoggedOncePerPeriodWithACount() {
    try (LogCapture log = new LogCapture()) {
      for (int id = 0; id < 1_000; id++) {
        outage.held(id, "PostgreSQL session store: Connection refused", 0);
      }
      now.addAndGet(StoreOutage.LOG_EVERY.toNanos());
      outage.held(1_000, "PostgreSQL session store: Connection refused", 0);
      outage.reached(true);
      long warnings = log.lines().stream().filter(l -> l.contains("unreachable")).count();
      assertEquals(2, warnings, String.valueOf(log.lines()));
      assertTrue(log.contains("1001 update(s) waiting"), String.valueOf(log.lines()));
      assertTrue(log.contains("first: update 0: PostgreSQL session store: Connection refused"));
      assertTrue(log.contains("reachable again"));
    }
  }

  @Test
  void theBackoffDoublesUpToItsCap() {
    assertEquals(StoreOutage.FIRST_BACKOFF, StoreOutage.backoff(0));
    assertEquals(StoreOutage.FIRST_BACKOFF.multipliedBy(2), StoreOutage.backoff(1));
    assertEquals(StoreOutage.MAX_BACKOFF, StoreOutage.backoff(40));
    assertTrue(StoreOutage.MAX_BACKOFF.compareTo(Duration.ofSeconds(5)) <= 0);
  }
}
