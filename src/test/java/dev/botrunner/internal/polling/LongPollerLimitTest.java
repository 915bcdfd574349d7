package dev.botrunner.internal.polling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.GetUpdatesCall;
import dev.botrunner.testkit.Updates;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

/** The concurrency limit holds from the very first getUpdates, and no update is fetched twice. */
class LongPollerLimitTest {

  @Test
  void neverMoreThanTheLimitInFlightFromTheFirstBatch() throws Exception {
    int limit = 10;
    int total = 1000;
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    Set<Integer> seen = ConcurrentHashMap.newKeySet();
    AtomicLong duplicates = new AtomicLong();
    CountDownLatch finished = new CountDownLatch(total);
    try (FakeBotApi fake = FakeBotApi.start()) {
      List<Update> updates = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        updates.add(Updates.text(10_000 + i, 10_000 + i, "m" + i));
      }
      fake.enqueue(updates);
      try (Pipeline pipeline =
          Pipeline.with(fake)
              .concurrency(limit)
              .maxWaiting(5000)
              .bot(
                  bot ->
                      bot.use(
                          ctx -> {
                            int now = running.incrementAndGet();
                            maxRunning.accumulateAndGet(now, Math::max);
                            if (!seen.add(ctx.updateId())) {
                              duplicates.incrementAndGet();
                            }
                            Thread.sleep(2);
                            running.decrementAndGet();
                            finished.countDown();
                          }))
              .build()) {
        pipeline.start();
        assertTrue(finished.await(60, TimeUnit.SECONDS), "all updates handled (deadlock guard)");
        List<GetUpdatesCall> polls = fake.getUpdatesCalls();
        // The first batch fills the free slots and the lookahead (as many again) that waits for
        // them: what is fetched is bounded from the first poll on, and only `limit` of it runs.
        assertTrue(
            polls.get(0).limit() <= 2 * limit, "first batch asked for " + polls.get(0).limit());
        // Later limits add the unconfirmed updates Telegram re-sends (watermark offset) on top of
        // the free slots; those are recognised and not dispatched, so maxRunning still holds.
        for (GetUpdatesCall poll : polls) {
          assertTrue(
              poll.limit() == null || poll.limit() <= LongPoller.TELEGRAM_MAX_LIMIT,
              "asked for " + poll.limit());
        }
        assertTrue(maxRunning.get() <= limit, "max running was " + maxRunning.get());
        assertEquals(total, seen.size());
        assertEquals(0, duplicates.get());
      }
    }
  }
}
