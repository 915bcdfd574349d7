package dev.botrunner.it;

import dev.botrunner.Bot;
import dev.botrunner.BotSetup;
import jakarta.annotation.Priority;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.MDC;

/**
 * Test-only bot for chats {@link #FIRST_CHAT} to {@link #LAST_CHAT}: a blocking {@code Handler}
 * that records the thread it runs on and the update id in its logging MDC, then blocks until the
 * test opens the gate, as a handler waiting on JDBC or a slow HTTP call does. With the gate shut,
 * the number of handlers inside is the number of blocking handlers running at once.
 */
@Singleton
@Priority(-160)
public class ConcurrentBlockingSetup implements BotSetup {

  /** First chat id this bot answers. */
  public static final long FIRST_CHAT = 8_800_000;

  /** Last chat id this bot answers. */
  public static final long LAST_CHAT = 8_809_999;

  /** Longest a handler waits for the gate: a test that forgets to open it still ends. */
  private static final Duration GATE_LIMIT = Duration.ofSeconds(60);

  /** Per update id: the thread's description and the MDC's update id, as the handler saw them. */
  private static final Map<Integer, String[]> SEEN = new ConcurrentHashMap<>();

  private static final AtomicReference<CountDownLatch> GATE =
      new AtomicReference<>(new CountDownLatch(0));

  /** Shuts the gate: handlers from now on block until {@link #open()}. */
  public static void shut() {
    SEEN.clear();
    GATE.set(new CountDownLatch(1));
  }

  /** Opens the gate: every blocked handler goes on. */
  public static void open() {
    GATE.get().countDown();
  }

  /**
   * @return how many handlers have started since the gate was shut
   */
  public static int inside() {
    return SEEN.size();
  }

  /**
   * @return per update id: the thread's {@code toString()} and the MDC's {@code update_id}
   */
  public static Map<Integer, String[]> seen() {
    return Map.copyOf(SEEN);
  }

  @Override
  public void configure(Bot bot) {
    bot.filter(
            ctx -> ctx.chatId() != null && ctx.chatId() >= FIRST_CHAT && ctx.chatId() <= LAST_CHAT)
        .use(
            ctx -> {
              Object mdc = MDC.get("update_id");
              SEEN.put(
                  ctx.updateId(),
                  new String[] {Thread.currentThread().toString(), String.valueOf(mdc)});
              if (!GATE.get().await(GATE_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the test never opened the gate");
              }
              ctx.reply("done " + ctx.updateId());
            });
  }
}
