package dev.botrunner.it;

import dev.botrunner.Bot;
import dev.botrunner.BotSetup;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Test-only middleware installed before the demo bot (beans without @Priority count as 0): every
 * update waits a random 0–5 ms first, so the order of completion is shuffled and any ordering bug
 * shows.
 */
@Singleton
@Priority(-100)
public class RandomDelaySetup implements BotSetup {

  @Override
  public void configure(Bot bot) {
    bot.use(
        (ctx, next) -> {
          int millis = ThreadLocalRandom.current().nextInt(6);
          // Mutiny refuses a zero delay.
          return millis == 0
              ? next.proceed()
              : Uni.createFrom()
                  .voidItem()
                  .onItem()
                  .delayIt()
                  .by(Duration.ofMillis(millis))
                  .chain(next::proceed);
        });
  }
}
