package dev.botrunner.internal.dispatch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.config.BotConfig;
import dev.botrunner.config.InvalidBotConfigException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/** The executor of blocking code, as {@code BOT_BLOCKING_THREADS} chooses it. */
class BlockingThreadsTest {

  @Test
  void autoIsVirtualWhereTheRuntimeHasThemAndPlatformElsewhere() {
    assertEquals(
        BotConfig.BlockingThreads.VIRTUAL,
        BlockingThreads.resolveFor(BotConfig.BlockingThreads.AUTO, true));
    assertEquals(
        BotConfig.BlockingThreads.PLATFORM,
        BlockingThreads.resolveFor(BotConfig.BlockingThreads.AUTO, false));
    for (BotConfig.BlockingThreads named :
        new BotConfig.BlockingThreads[] {
          BotConfig.BlockingThreads.PLATFORM, BotConfig.BlockingThreads.WORKER_POOL
        }) {
      assertEquals(named, BlockingThreads.resolveFor(named, true));
      assertEquals(named, BlockingThreads.resolveFor(named, false));
    }
  }

  @Test
  void virtualWithoutVirtualThreadsStopsTheStartWithWhatToSet() {
    InvalidBotConfigException e =
        assertThrows(
            InvalidBotConfigException.class,
            () -> BlockingThreads.resolveFor(BotConfig.BlockingThreads.VIRTUAL, false));
    assertTrue(e.getMessage().contains("BOT_BLOCKING_THREADS=auto or platform"), e.getMessage());
  }

  @Test
  void thePlatformPoolRunsAsManyBlockingCallsAtOnceAsTheLimit() throws Exception {
    assertRunsAtOnce(new BlockingThreads(BotConfig.BlockingThreads.PLATFORM, 250, false), 250);
  }

  @Test
  @EnabledForJreRange(min = JRE.JAVA_21)
  void virtualThreadsRunAsManyBlockingCallsAtOnceAsTheLimit() throws Exception {
    assertRunsAtOnce(new BlockingThreads(BotConfig.BlockingThreads.AUTO, 2_000, true), 2_000);
  }

  private static void assertRunsAtOnce(BlockingThreads threads, int limit) throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    AtomicInteger inside = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(limit);
    try {
      for (int i = 0; i < limit; i++) {
        threads
            .executor()
            .execute(
                () -> {
                  inside.incrementAndGet();
                  try {
                    gate.await(60, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  done.countDown();
                });
      }
      await("all " + limit + " calls blocked at once")
          .atMost(Duration.ofSeconds(60))
          .until(inside::get, n -> n == limit);
      gate.countDown();
      assertTrue(done.await(60, TimeUnit.SECONDS), "every call went on");
    } finally {
      gate.countDown();
      threads.close();
    }
  }
}
