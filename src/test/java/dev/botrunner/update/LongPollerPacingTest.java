package dev.botrunner.update;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.GetUpdatesCall;
import dev.botrunner.testkit.Updates;
import java.time.Duration;
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

  private static final Duration GAP = Duration.ofMillis(50);

  @Test
  void pollsThatRefetchInFlightUpdatesAreSpacedOut() throws Exception {
    int total = 300;
    Map<Integer, Long> startedAt = new ConcurrentHashMap<>();
    CountDownLatch finished = new CountDownLatch(total);
    try (FakeBotApi fake = FakeBotApi.start();
        Pipeline pipeline =
            new Pipeline(
                fake,
                100,
                5000,
                false,
                bot ->
                    bot.use(
                        ctx -> {
                          startedAt.put(ctx.updateId(), System.nanoTime());
                          Thread.sleep(20);
                          finished.countDown();
                        }))) {
      // Longer than the default, so that the in-process fake's own pace (a poll every ~14 ms
      // without any gap here) cannot pass for the rule.
      pipeline.poller.resendGap(GAP);
      pipeline.start();
      for (int i = 0; i < total; i++) {
        fake.enqueue(List.of(Updates.text(20_000 + i, 20_000 + i, "m" + i)));
        Thread.sleep(1);
      }
      assertTrue(finished.await(60, TimeUnit.SECONDS), "all updates handled");
      List<GetUpdatesCall> polls = fake.getUpdatesCalls();
      int refetches = 0;
      long first = polls.get(0).call().arrivalNanos();
      long last = first;
      for (GetUpdatesCall poll : polls) {
        long at = poll.call().arrivalNanos();
        long offset = poll.offset() == null ? 0 : poll.offset();
        // Some update at or above this offset was already running: this poll re-fetched it.
        if (startedAt.entrySet().stream()
            .anyMatch(e -> e.getKey() >= offset && e.getValue() < at)) {
          refetches++;
          last = at;
        }
      }
      // Each re-fetching poll was sent at least the gap after the poll before it (timers never
      // fire early), so over the span at most span / gap of them fit. Counted, not compared one
      // by one: a request's transit time varies by milliseconds on a busy machine.
      long spanMs = (last - first) / 1_000_000;
      long most = spanMs / (GAP.toMillis() - 1) + 2;
      assertTrue(refetches > 0, "the trickle kept updates in flight across polls");
      assertTrue(
          refetches <= most,
          refetches + " re-fetching polls in " + spanMs + " ms; at most " + most + " expected");
    }
  }
}
