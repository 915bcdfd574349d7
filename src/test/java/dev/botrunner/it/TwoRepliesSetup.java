package dev.botrunner.it;

import dev.botrunner.Bot;
import dev.botrunner.BotSetup;
import jakarta.annotation.Priority;
import jakarta.inject.Singleton;

/**
 * Test-only: the text {@value #TWICE} is answered with two replies ({@code "first"}, {@code
 * "second"}) and goes no further; every other update passes on untouched. Runs before the other
 * test setups (priority -2), so no other test sees its effect.
 */
@Singleton
@Priority(-2)
public class TwoRepliesSetup implements BotSetup {

  /** The text answered twice. */
  public static final String TWICE = "#twice";

  @Override
  public void configure(Bot bot) {
    bot.use(
        (ctx, next) -> {
          if (!TWICE.equals(ctx.text())) {
            return next.proceed();
          }
          ctx.reply("first");
          ctx.reply("second");
          return io.smallrye.mutiny.Uni.createFrom().voidItem();
        });
  }
}
