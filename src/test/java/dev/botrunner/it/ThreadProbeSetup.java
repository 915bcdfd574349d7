package dev.botrunner.it;

import dev.botrunner.Bot;
import dev.botrunner.BotSetup;
import io.vertx.core.Context;
import jakarta.annotation.Priority;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test-only middleware, first of all: for chats in {@link #FIRST_CHAT} to {@link #LAST_CHAT} it
 * records whether the update's middleware started on an event loop, then passes the update on.
 */
@Singleton
@Priority(-200)
public class ThreadProbeSetup implements BotSetup {

  /** First chat id whose updates are probed. */
  public static final long FIRST_CHAT = 9_800_000;

  /** Last chat id whose updates are probed. */
  public static final long LAST_CHAT = 9_800_999;

  private static final List<Boolean> ON_EVENT_LOOP = new CopyOnWriteArrayList<>();

  /**
   * @return for each probed update, in start order, whether it started on an event loop
   */
  public static List<Boolean> onEventLoop() {
    return List.copyOf(ON_EVENT_LOOP);
  }

  @Override
  public void configure(Bot bot) {
    bot.use(
        (ctx, next) -> {
          Long chat = ctx.chatId();
          if (chat != null && chat >= FIRST_CHAT && chat <= LAST_CHAT) {
            ON_EVENT_LOOP.add(Context.isOnEventLoopThread());
          }
          return next.proceed();
        });
  }
}
