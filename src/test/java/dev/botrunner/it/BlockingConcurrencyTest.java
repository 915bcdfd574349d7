package dev.botrunner.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.FakeBotApiResource;
import dev.botrunner.testkit.Updates;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Blocking handlers run up to {@code BOT_CONCURRENCY} at once with the default {@code
 * BOT_BLOCKING_THREADS=auto}: 300 handlers (more than the 200 threads of Quarkus's worker pool on
 * these machines, which ran them before) are all blocked inside at the same time, each on a virtual
 * thread on JDK 21+ and on botrunner's platform pool on JDK 17, each with its own update id in the
 * logging MDC.
 */
@QuarkusTest
@TestProfile(BlockingConcurrencyTest.Limit300.class)
class BlockingConcurrencyTest {

  /** More blocking handlers at once than Quarkus's worker pool has threads here. */
  static final int LIMIT = 300;

  /** Polling against the fake, a limit above the worker pool's size. */
  public static class Limit300 implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("bot.concurrency", Integer.toString(LIMIT));
    }

    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(FakeBotApiResource.class));
    }
  }

  @Test
  void asManyBlockingHandlersRunAtOnceAsTheLimitAllows() {
    assertAllBlockAtOnce(FakeBotApiResource.fake(), LIMIT, Runtime.version().feature() >= 21);
  }

  /**
   * Shuts the gate, sends {@code limit} updates of different chats and waits until all their
   * handlers are inside at once; then opens the gate and waits for every reply.
   *
   * @param fake the fake Bot API the service polls
   * @param limit {@code BOT_CONCURRENCY}
   * @param virtual whether the handlers must run on virtual threads (else platform threads of
   *     botrunner's pool)
   */
  static void assertAllBlockAtOnce(FakeBotApi fake, int limit, boolean virtual) {
    ConcurrentBlockingSetup.shut();
    List<Update> updates = new ArrayList<>();
    for (int i = 0; i < limit; i++) {
      long chat = ConcurrentBlockingSetup.FIRST_CHAT + i;
      updates.add(Updates.text(chat, chat, "block"));
    }
    fake.enqueue(updates);
    try {
      await("all " + limit + " blocking handlers inside at once")
          .atMost(Duration.ofSeconds(60))
          .until(ConcurrentBlockingSetup::inside, n -> n == limit);
    } finally {
      ConcurrentBlockingSetup.open();
    }
    for (Map.Entry<Integer, String[]> e : ConcurrentBlockingSetup.seen().entrySet()) {
      String thread = e.getValue()[0];
      assertTrue(
          virtual ? thread.startsWith("VirtualThread[") : thread.contains("botrunner-blocking-"),
          "update " + e.getKey() + " ran on " + thread);
      assertEquals(Integer.toString(e.getKey()), e.getValue()[1], "the MDC's update_id");
    }
    await("every reply")
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                updates.stream()
                    .allMatch(u -> !fake.sentMessages(u.getMessage().getChatId()).isEmpty()));
  }
}
