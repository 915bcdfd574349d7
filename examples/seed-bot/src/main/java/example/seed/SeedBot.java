package example.seed;

import dev.botrunner.Bot;
import dev.botrunner.BotSetup;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Singleton;

/** grammY's high-load example: each chat's messages counted in its session, in order. */
@Singleton
public class SeedBot implements BotSetup {
  @RegisterForReflection
  public static class Visits {
    public int count;
  }

  @Override
  public void configure(Bot bot) {
    bot.on("message", ctx -> {
      Visits visits = ctx.session().get(Visits.class, Visits::new);
      visits.count++;
      ctx.reply("Got your message. That was number " + visits.count);
    });
  }
}
