package dev.botrunner.internal.polling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.Bot;
import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.GetUpdatesCall;
import dev.botrunner.testkit.Updates;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Shutdown under load: fetching stops, updates in flight finish, the watermark is confirmed with a
 * last getUpdates(offset, 1, 0), and what did not finish stays in Telegram's queue for the next
 * process, which receives nothing that already finished.
 */
class DrainTest {

  @Test
  void drainUnderLoadConfirmsTheWatermarkAndLeavesTheUnfinishedToTheNextProcess() throws Exception {
    int total = 400;
    List<Update> updates = Updates.sequence(5_000).textsOverChats(total, 1_000, 100);
    int stuckId = updates.get(150).getUpdateId();
    Set<Integer> started = ConcurrentHashMap.newKeySet();
    Set<Integer> finished = ConcurrentHashMap.newKeySet();
    CountDownLatch stuckStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (FakeBotApi fake = FakeBotApi.start()) {
      fake.enqueue(updates);
      int unfinished;
      try (Pipeline first =
          Pipeline.with(fake)
              .maxWaiting(5000)
              .bot(
                  bot ->
                      bot.use(
                          ctx -> {
                            started.add(ctx.updateId());
                            if (ctx.updateId() == stuckId) {
                              stuckStarted.countDown();
                              release.await(30, TimeUnit.SECONDS); // outlives the grace
                            } else {
                              Thread.sleep(20 + ctx.updateId() % 7 * 40); // up to 260 ms
                            }
                            finished.add(ctx.updateId());
                          }))
              .poller(poller -> poller.spillAfter(Duration.ofMinutes(1)))
              .build()) {
        first.start();
        assertTrue(stuckStarted.await(30, TimeUnit.SECONDS), "the slow update started");
        unfinished = first.poller.drain(Duration.ofSeconds(3));
        assertEquals(PollerState.STOPPED, first.poller.state());

        // In flight at the drain: all finished except the one that outlives the grace.
        Set<Integer> runningAtEnd = new java.util.HashSet<>(started);
        runningAtEnd.removeAll(finished);
        assertEquals(Set.of(stuckId), runningAtEnd);
        assertEquals(1, unfinished);

        // The last call confirms the watermark: the lowest unfinished id, limit 1, no wait.
        List<GetUpdatesCall> calls = fake.getUpdatesCalls();
        GetUpdatesCall last = calls.get(calls.size() - 1);
        assertEquals((long) stuckId, last.offset());
        assertEquals(1, last.limit());
        assertEquals(0, last.timeout());
        assertEquals(stuckId, first.poller.offset());
        // Everything below the watermark finished; the stuck update and all after it are still
        // pending at "Telegram".
        for (Update u : updates) {
          if (u.getUpdateId() < stuckId) {
            assertTrue(finished.contains(u.getUpdateId()), "finished below watermark: " + u);
          }
        }
        assertEquals(total - 150, fake.pendingUpdates());
        release.countDown();
      }

      // The next process gets the unfinished update again, and nothing that had finished.
      Set<Integer> secondRun = nextProcessReceives(fake, total - 150);
      assertTrue(secondRun.contains(stuckId), "the unfinished update is delivered again");
      // Nothing below the confirmed watermark comes again. Updates above it that had finished
      // out of order do come again (at-least-once): the durable dedupe of the PostgreSQL store
      // skips them (see PostgresDeliveryTest); without it they run twice.
      for (int id : secondRun) {
        assertFalse(
            finished.contains(id) && id < stuckId, "finished update delivered again: " + id);
      }
      assertEquals(total - 150, secondRun.size());
    }
  }

  @Test
  void whenEverythingInFlightFinishesTheNextProcessGetsNothingThatFinished() throws Exception {
    int total = 400;
    List<Update> updates = Updates.sequence(9_000).textsOverChats(total, 2_000, 100);
    Set<Integer> started = ConcurrentHashMap.newKeySet();
    Set<Integer> finished = ConcurrentHashMap.newKeySet();
    CountDownLatch someFinished = new CountDownLatch(50);
    try (FakeBotApi fake = FakeBotApi.start()) {
      fake.enqueue(updates);
      try (Pipeline first =
          Pipeline.with(fake)
              .concurrency(20)
              .maxWaiting(5000)
              .bot(
                  bot ->
                      bot.use(
                          ctx -> {
                            started.add(ctx.updateId());
                            // Out of order, up to 260 ms.
                            Thread.sleep(20 + ctx.updateId() % 7 * 40);
                            finished.add(ctx.updateId());
                            someFinished.countDown();
                          }))
              .build()) {
        first.start();
        assertTrue(someFinished.await(30, TimeUnit.SECONDS), "under load");
        int unfinished = first.poller.drain(Duration.ofSeconds(20));
        assertEquals(0, unfinished, "every update in flight finished within the grace");
        assertEquals(started, finished);
        assertTrue(finished.size() < total, "the drain stopped fetching before the end");
        // The final confirmation covers every finished update, the out-of-order ones included.
        List<GetUpdatesCall> calls = fake.getUpdatesCalls();
        GetUpdatesCall last = calls.get(calls.size() - 1);
        int highestFinished = finished.stream().max(Integer::compare).orElseThrow();
        assertEquals((long) highestFinished + 1, last.offset());
        assertEquals(0, last.timeout());
        assertEquals(total - finished.size(), fake.pendingUpdates());
      }

      Set<Integer> secondRun = nextProcessReceives(fake, total - finished.size());
      for (int id : secondRun) {
        assertFalse(finished.contains(id), "finished update delivered again: " + id);
      }
      assertEquals(total - finished.size(), secondRun.size());
    }
  }

  /** Starts the next process on the same fake Telegram and collects the ids it is given. */
  private static Set<Integer> nextProcessReceives(FakeBotApi fake, int expected)
      throws InterruptedException {
    Set<Integer> received = ConcurrentHashMap.newKeySet();
    CountDownLatch all = new CountDownLatch(expected);
    Consumer<Bot> record =
        bot ->
            bot.use(
                ctx -> {
                  received.add(ctx.updateId());
                  all.countDown();
                });
    try (Pipeline next = Pipeline.with(fake).concurrency(20).maxWaiting(5000).bot(record).build()) {
      next.start();
      assertTrue(all.await(30, TimeUnit.SECONDS), "the rest delivered to the next process");
    }
    return received;
  }
}
