package dev.botrunner.internal.polling;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.Updates;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * With the memory store and slow handlers, every slot is taken by updates that run: the loop then
 * confirms what runs and asks for exactly the slots that freed, so no update is handed out twice
 * and none waits for a batch to fill (before, a poll brought the running updates back with every
 * free slot, or waited up to 200 ms for more slots while those stayed idle).
 */
class SlowHandlersFetchTest {

  private static final int LIMIT = 20;
  private static final int TOTAL = 400;
  private static final long FIRST_CHAT = 62_000;

  /** The handler's own work: long against a poll, so the slots stay full. */
  private static final long WORK_MILLIS = 20;

  /** Keeps a broken test from hanging the build; not a speed requirement. */
  private static final Duration GUARD = Duration.ofSeconds(60);

  @Test
  void slowHandlersOverManyChatsAreFetchedOnce() throws Exception {
    List<Update> updates = Updates.sequence(4_000_000).textsOverChats(TOTAL, FIRST_CHAT, TOTAL);
    try (FakeBotApi fake = FakeBotApi.start()) {
      fake.enqueue(updates);
      try (Pipeline pipeline =
          Pipeline.with(fake)
              .concurrency(LIMIT)
              .bot(bot -> bot.use(ctx -> Thread.sleep(WORK_MILLIS)))
              .build()) {
        pipeline.start();
        await().atMost(GUARD).until(() -> pipeline.dispatcher.doneCount() >= TOTAL);
        assertEquals(0, pipeline.dispatcher.failedCount(), "none failed");
      }
      Map<Integer, Integer> deliveries = fake.deliveries();
      int handedOut = deliveries.values().stream().mapToInt(Integer::intValue).sum();
      assertEquals(TOTAL, deliveries.size(), "every update was handed out");
      assertEquals(TOTAL, handedOut, "no update was handed out twice");
    }
  }
}
