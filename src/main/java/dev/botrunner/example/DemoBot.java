package dev.botrunner.example;

import dev.botrunner.Bot;
import dev.botrunner.BotSetup;
import dev.botrunner.config.BotConfig;
import io.quarkus.arc.DefaultBean;
import jakarta.inject.Singleton;

/**
 * The demo bot: {@code /start} greets; every other text message counts up in the chat's session and
 * is echoed as {@code <count>: <text>}.
 *
 * <p>It is a {@link DefaultBean}: installed only when the application declares no {@link BotSetup}
 * bean of its own, so it never runs beside (or ahead of) a user's bot. {@code
 * BOT_EXAMPLE_ENABLED=false} turns it off even then.
 */
@Singleton
@DefaultBean
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
    if (config.example().enabled()) {
      install(bot);
    }
  }

  /**
   * Adds the demo's routes to a bot, for applications and tests that want the demo beside their own
   * setup on purpose.
   *
   * @param bot the composer to add the routes to
   */
  public static void install(Bot bot) {
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
