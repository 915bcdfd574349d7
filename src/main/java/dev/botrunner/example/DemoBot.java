package dev.botrunner.example;

import dev.botrunner.config.BotConfig;
import dev.botrunner.middleware.Bot;
import dev.botrunner.middleware.BotSetup;
import jakarta.inject.Singleton;

/**
 * The demo bot: {@code /start} greets; every other text message counts up in the chat's session and
 * is echoed as {@code <count>: <text>}. Turned off with {@code BOT_EXAMPLE_ENABLED=false}.
 */
@Singleton
public class DemoBot implements BotSetup {

  /** The greeting sent for {@code /start}. */
  public static final String GREETING =
      "Hello! Send me any text and I will count your messages in this chat.";

  private final BotConfig config;

  DemoBot(BotConfig config) {
    this.config = config;
  }

  @Override
  public void configure(Bot bot) {
    if (!config.example().enabled()) {
      return;
    }
    bot.command("start", ctx -> ctx.reply(GREETING));
    // Written reactively (a Middleware returning a Uni, no blocking call), so it may run on an
    // event loop with BOT_MIDDLEWARE_THREAD=event-loop; the blocking form would be
    // ctx.session().get(..) inside a Handler.
    bot.on(
        "message:text",
        (ctx, next) ->
            ctx.session()
                .load(Counter.class, Counter::new)
                .invoke(
                    counter -> {
                      counter.count++;
                      ctx.reply(counter.count + ": " + ctx.text());
                    })
                .replaceWithVoid());
  }
}
