package dev.botrunner.internal.polling;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.Updates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Slow handlers keep their slots busy: the poller fetches a lookahead of updates that wait for the
 * next freed slots, so a freed slot starts the next update without a getUpdates round trip, and
 * while they wait it polls only for a full batch. The limit and at-most-once dispatch still hold.
 */
class LookaheadTest {

  private static final int LIMIT = 20;
  private static final int TOTAL = 200;
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void freedSlotsStartFetchedUpdatesWithoutAPoll() throws Exception {
    Semaphore gate = new Semaphore(0);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    Set<Integer> started = ConcurrentHashMap.newKeySet();
    AtomicInteger duplicates = new AtomicInteger();
    List<Update> updates = new ArrayList<>();
    for (int i = 0; i < TOTAL; i++) {
      updates.add(Updates.text(20_000 + i, 20_000 + i, "m" + i));
    }
    try (FakeBotApi fake = FakeBotApi.start()) {
      fake.enqueue(updates);
      try (Pipeline pipeline =
          Pipeline.with(fake)
              .concurrency(LIMIT)
              .maxWaiting(5000)
              .bot(
                  bot ->
                      bot.use(
                          ctx -> {
                            if (!started.add(ctx.updateId())) {
                              duplicates.incrementAndGet();
                            }
                            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                            gate.acquire(); // a slow handler: runs until the test lets it end
                            running.decrementAndGet();
                            done.incrementAndGet();
                          }))
              .build()) {
        pipeline.start();

        // The slots are full and as many more wait for them, fetched; the loop waits for room.
        await().atMost(WAIT).until(() -> started.size() == LIMIT);
        await().atMost(WAIT).until(() -> fake.deliveries().size() == 2 * LIMIT);
        await().atMost(WAIT).until(pipeline.poller::waitingForCapacity);
        int polls = fake.getUpdatesCalls().size();

        // Five end: five fetched ones take their slots at once. A poll now would bring only five,
        // so the loop keeps waiting for a full batch of room.
        gate.release(5);
        await().atMost(WAIT).until(() -> started.size() == LIMIT + 5);
        assertEquals(polls, fake.getUpdatesCalls().size(), "the freed slots needed no poll");
        assertEquals(2 * LIMIT, fake.deliveries().size());

        gate.release(TOTAL);
        await().atMost(WAIT).until(() -> done.get() == TOTAL);
        assertEquals(TOTAL, started.size());
        assertEquals(0, duplicates.get());
        assertTrue(maxRunning.get() <= LIMIT, "max running was " + maxRunning.get());
      }
    }
  }

  @Test
  void withoutLookaheadOnlyFreeSlotsAreFetched() throws Exception {
    Semaphore gate = new Semaphore(0);
    Set<Integer> started = ConcurrentHashMap.newKeySet();
    AtomicInteger done = new AtomicInteger();
    List<Update> updates = new ArrayList<>();
    for (int i = 0; i < TOTAL; i++) {
      updates.add(Updates.text(30_000 + i, 30_000 + i, "m" + i));
    }
    try (FakeBotApi fake = FakeBotApi.start()) {
      fake.enqueue(updates);
      try (Pipeline pipeline =
          Pipeline.with(fake)
              .concurrency(LIMIT)
              .maxWaiting(5000)
              .poller(poller -> poller.lookahead(0))
              .bot(
                  bot ->
                      bot.use(
                          ctx -> {
                            started.add(ctx.updateId());
                            gate.acquire();
                            done.incrementAndGet();
                          }))
              .build()) {
        pipeline.start();
        await().atMost(WAIT).until(() -> started.size() == LIMIT);
        await().atMost(WAIT).until(pipeline.poller::waitingForCapacity);
        assertEquals(LIMIT, fake.deliveries().size(), "fetched only for the free slots");
        gate.release(TOTAL);
        await().atMost(WAIT).until(() -> done.get() == TOTAL);
      }
    }
  }
}
