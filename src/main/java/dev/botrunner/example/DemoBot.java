package dev.botrunner.example;

import dev.botrunner.Bot;
import dev.botrunner.BotSetup;
import dev.botrunner.config.BotConfig;
import io.quarkus.arc.Arc;
import io.quarkus.arc.DefaultBean;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Singleton;
import java.time.Duration;

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

  /** The demo's statement of its own, as cheap as a statement gets. */
  private static final String STATEMENT = "SELECT 1";

  private final BotConfig config;

  DemoBot(BotConfig config) {
    this.config = config;
  }

  @Override
  public void configure(Bot bot) {
    if (config.example().enabled()) {
      if (config.example().statement() != BotConfig.Example.Statement.NONE) {
        installWithStatement(bot, config.example().statement());
        return;
      }
      install(bot, config.example().style(), config.example().delay());
    }
  }

  /**
   * The reactive demo with a statement of the bot's own before its session step: on the pool in a
   * transaction of its own ({@code plain}), or in the update's unit of work ({@code unit}, where
   * the reply goes through the outbox). For the load benchmark's cost of a unit of work.
   */
  private static void installWithStatement(Bot bot, BotConfig.Example.Statement statement) {
    bot.command("start", ctx -> ctx.reply(GREETING));
    bot.on(
        "message:text",
        (ctx, next) ->
            (statement == BotConfig.Example.Statement.UNIT
                    ? ctx.transaction(conn -> conn.query(STATEMENT).execute())
                    : Arc.container().instance(Pool.class).get().query(STATEMENT).execute())
                .chain(() -> ctx.session().load(Counter.class, Counter::new))
                .invoke(
                    counter -> {
                      counter.count++;
                      ctx.reply(counter.count + ": " + ctx.text());
                    })
                .replaceWithVoid());
  }

  /**
   * Adds the demo's routes to a bot, for applications and tests that want the demo beside their own
   * setup on purpose.
   *
   * @param bot the composer to add the routes to
   */
  public static void install(Bot bot) {
    install(bot, BotConfig.Example.Style.REACTIVE, Duration.ZERO);
  }

  /**
   * Adds the demo's routes, its counting step written as {@code style} and waiting {@code delay}
   * before each answer: a stand-in for a bot whose handler waits on a slow service (the load
   * benchmark's slow cases).
   *
   * @param bot the composer to add the routes to
   * @param style a reactive {@code Middleware} or a blocking {@code Handler}
   * @param delay the wait before each counted answer; zero for none
   */
  public static void install(Bot bot, BotConfig.Example.Style style, Duration delay) {
    bot.command("start", ctx -> ctx.reply(GREETING));
    if (style == BotConfig.Example.Style.BLOCKING) {
      long millis = delay.toMillis();
      // The blocking form: session().get(..) and a sleep may block, as JDBC or an HTTP call does;
      // a Handler always runs off the event loop (BOT_BLOCKING_THREADS says on which threads).
      bot.on(
          "message:text",
          ctx -> {
            Counter counter = ctx.session().get(Counter.class, Counter::new);
            counter.count++;
            if (millis > 0) {
              Thread.sleep(millis);
            }
            ctx.reply(counter.count + ": " + ctx.text());
          });
      return;
    }
    // Written reactively (a Middleware returning a Uni, no blocking call), so it may run on an
    // event loop with BOT_MIDDLEWARE_THREAD=event-loop.
    if (delay.isZero()) {
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
      return;
    }
    bot.on(
        "message:text",
        (ctx, next) ->
            ctx.session()
                .load(Counter.class, Counter::new)
                .invoke(counter -> counter.count++)
                .onItem()
                .delayIt()
                .by(delay)
                .invoke(counter -> ctx.reply(counter.count + ": " + ctx.text()))
                .replaceWithVoid());
  }
}
