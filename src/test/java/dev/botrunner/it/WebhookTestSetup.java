package dev.botrunner.it;

import dev.botrunner.Bot;
import dev.botrunner.BotSetup;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.Priority;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only middleware, first in the chain (priority -1: beans without {@code @Priority}, like the
 * demo bot, count as 0 and the demo bot does not call {@code next}): counts every update that
 * reaches middleware (by update_id), holds updates whose text is {@value #BLOCK} until the test
 * opens {@link #gate} (at most {@link #GATE_LIMIT}; they then go on to the demo bot, which
 * replies), and fails those whose text is {@value #FAIL}. No other test sends these texts, so the
 * polling tests are unaffected.
 */
@Singleton
@Priority(-1)
public class WebhookTestSetup implements BotSetup {

  /** A text whose update waits for {@link #gate}. */
  public static final String BLOCK = "#block";

  /** Text whose update fails in middleware. */
  public static final String FAIL = "#fail";

  /** A held update goes on after this long even if the test never opens the gate. */
  private static final Duration GATE_LIMIT = Duration.ofSeconds(30);

  /** Opened by the test to let {@link #BLOCK} updates go on. */
  public static volatile CountDownLatch gate = new CountDownLatch(0);

  /** How many times each update_id reached middleware. */
  public static final Map<Integer, AtomicInteger> SEEN = new ConcurrentHashMap<>();

  /**
   * @param updateId an update id
   * @return how many times it reached middleware
   */
  public static int seen(int updateId) {
    AtomicInteger count = SEEN.get(updateId);
    return count == null ? 0 : count.get();
  }

  @Override
  public void configure(Bot bot) {
    bot.use(
        (ctx, next) ->
            // Blocking is only allowed on a worker; a step before this one may have resumed on an
            // event loop, so hop explicitly.
            Uni.createFrom()
                .item(
                    () -> {
                      SEEN.computeIfAbsent(ctx.updateId(), id -> new AtomicInteger())
                          .incrementAndGet();
                      String text = ctx.text();
                      try {
                        if (BLOCK.equals(text)) {
                          gate.await(GATE_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                        }
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      if (FAIL.equals(text)) {
                        throw new IllegalStateException("failing on purpose");
                      }
                      return text;
                    })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(ignored -> next.proceed()));
  }
}
