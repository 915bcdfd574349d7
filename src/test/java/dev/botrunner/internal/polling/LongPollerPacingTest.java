package dev.botrunner.internal.polling;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.GetUpdatesCall;
import dev.botrunner.testkit.Updates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * At a steady trickle, a poll that would bring back updates still in flight waits the resend gap
 * (10 ms by default) after the previous one instead of following every finished update.
 */
class LongPollerPacingTest {

  private static final Duration GAP = Duration.ofMillis(200);

  @Test
  void pollsThatRefetchInFlightUpdatesAreSpacedOut() throws Exception {
    int total = 300;
    Map<Integer, Long> startedAt = new ConcurrentHashMap<>();
    CountDownLatch finished = new CountDownLatch(total);
    try (FakeBotApi fake = FakeBotApi.start();
        Pipeline pipeline =
            Pipeline.with(fake)
                .concurrency(500)
                .maxWaiting(5000)
                .bot(
                    bot ->
                        bot.use(
                            ctx -> {
                              // Longer than the gap: every poll finds updates of the last one
                              // running.
                              startedAt.put(ctx.updateId(), System.nanoTime());
                              Thread.sleep(300);
                              finished.countDown();
                            }))
                // Longer than the default, so that the in-process fake's own pace (a poll
                // every ~14 ms without any gap here) cannot pass for the rule.
                .poller(poller -> poller.resendGap(GAP))
                .build()) {
      pipeline.start();
      for (int i = 0; i < total; i++) {
        fake.enqueue(List.of(Updates.text(20_000 + i, 20_000 + i, "m" + i)));
        Thread.sleep(1);
      }
      assertTrue(finished.await(60, TimeUnit.SECONDS), "all updates handled");
      List<GetUpdatesCall> polls = fake.getUpdatesCalls();
      List<Long> gapsMs = new ArrayList<>();
      for (int i = 1; i < polls.size(); i++) {
        long at = polls.get(i).call().arrivalNanos();
        long offset = polls.get(i).offset() == null ? 0 : polls.get(i).offset();
        // Some update at or above this offset was already running: this poll re-fetched it.
        if (startedAt.entrySet().stream()
            .anyMatch(e -> e.getKey() >= offset && e.getValue() < at)) {
          gapsMs.add((at - polls.get(i - 1).call().arrivalNanos()) / 1_000_000);
        }
      }
      int refetches = gapsMs.size();
      Collections.sort(gapsMs);
      long median = refetches == 0 ? 0 : gapsMs.get(refetches / 2);
      // Arrival times are taken by the fake, so one late arrival on a loaded machine shortens the
      // gap after it; without the rule the gaps would be the fake's own pace (~14 ms), so the
      // median tells the rule apart from jitter. Timers never fire early; the slack covers the
      // requests' own transit times.
      assertTrue(
          median >= GAP.toMillis() - 20,
          "polls re-fetching in-flight updates came a median " + median + " ms apart: " + gapsMs);
      assertTrue(refetches > 0, "the trickle kept updates in flight across polls");
    }
  }
}
