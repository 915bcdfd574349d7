package dev.botrunner.internal.polling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.TelegramApiException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What the loop does after a failed step: a rejected token stops it, flood control waits exactly
 * {@code retry_after}, everything else backs off exponentially until a success resets it.
 */
class PollFailurePolicyTest {

  private static final Duration MIN = Duration.ofMillis(100);
  private static final Duration MAX = Duration.ofMillis(1000);

  private final PollFailurePolicy policy = new PollFailurePolicy(MIN, MAX);

  private static TelegramApiException api(int code, Integer retryAfter) {
    return new TelegramApiException("getUpdates", code, "description", retryAfter, null);
  }

  private static void assertBetween(long lowMillis, long highMillis, Duration delay) {
    assertTrue(
        delay.toMillis() >= lowMillis && delay.toMillis() <= highMillis,
        delay + " not in [" + lowMillis + ", " + highMillis + "] ms");
  }

  @Test
  void aRejectedTokenStopsPolling() {
    assertNull(policy.retryDelay(api(401, null)));
    assertNull(policy.retryDelay(api(404, null)));
  }

  @Test
  void floodControlWaitsRetryAfter() {
    assertEquals(Duration.ofSeconds(7), policy.retryDelay(api(429, 7)));
    assertBetween(50, 100, new PollFailurePolicy(MIN, MAX).retryDelay(api(429, null)));
  }

  @Test
  void otherFailuresBackOffUntilASuccess() {
    assertBetween(50, 100, policy.retryDelay(api(409, null)));
    assertBetween(100, 200, policy.retryDelay(new RuntimeException("connection reset")));
    assertBetween(200, 400, policy.retryDelay(api(502, null)));
    for (int i = 0; i < 10; i++) {
      policy.retryDelay(new RuntimeException());
    }
    assertBetween(500, 1000, policy.retryDelay(new RuntimeException()));
    policy.succeeded();
    assertBetween(50, 100, policy.retryDelay(new RuntimeException()));
  }

  @Test
  void aFailureWithoutMessageIsDescribedByItsType() {
    assertEquals(
        "java.lang.IllegalStateException", PollFailurePolicy.describe(new IllegalStateException()));
    assertEquals("boom", PollFailurePolicy.describe(new RuntimeException("boom")));
  }
}
