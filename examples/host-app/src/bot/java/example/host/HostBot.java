package example.host;

import dev.botrunner.Bot;
import dev.botrunner.BotSetup;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * The team's bot, added with botrunner: it answers every text. Its handler uses the host's own
 * request-scoped {@link Caller} as a REST resource would, also after a hop to the worker pool: each
 * update runs in a request context of its own.
 */
@Singleton
public class HostBot implements BotSetup {

  @Inject Caller caller;

  @Override
  public void configure(Bot bot) {
    bot.on(
        "message:text",
        ctx -> {
          caller.name(ctx.text());
          String heard =
              Uni.createFrom()
                  .item("x")
                  .emitOn(Infrastructure.getDefaultWorkerPool())
                  .map(ignored -> caller.name())
                  .await()
                  .indefinitely();
          ctx.reply("host-app heard: " + heard);
        });
  }
}
