package example.host;

import dev.botrunner.Bot;
import dev.botrunner.BotSetup;
import jakarta.inject.Singleton;

/** The team's bot, added with botrunner: it answers every text. */
@Singleton
public class HostBot implements BotSetup {

  @Override
  public void configure(Bot bot) {
    bot.on("message:text", ctx -> ctx.reply("host-app heard: " + ctx.text()));
  }
}
