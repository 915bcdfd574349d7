package dev.botrunner.internal.dispatch;

import dev.botrunner.Bot;
import dev.botrunner.BotSetup;
import dev.botrunner.UpdateKeyFunction;
import dev.botrunner.config.BotConfig;
import dev.botrunner.internal.client.TelegramClient;
import dev.botrunner.internal.store.ConflictPolicy;
import dev.botrunner.internal.store.SessionMetrics;
import dev.botrunner.internal.store.SessionStore;
import dev.botrunner.internal.unit.OutboxSweep;
import io.quarkus.arc.InjectableInstance;
import io.vertx.core.Vertx;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Comparator;

/**
 * Wires the bot (every {@link BotSetup} bean, lowest {@code @Priority} first), the scheduler and
 * the dispatcher.
 */
@Singleton
class DispatchProducer {

  @Produces
  @Singleton
  Bot bot(InjectableInstance<BotSetup> setups) {
    Bot bot = new Bot();
    // Lower @Priority first, so e.g. a logging or rate-limit setup can go before the bot's logic.
    setups
        .handlesStream()
        .sorted(Comparator.comparingInt(handle -> handle.getBean().getPriority()))
        .forEach(handle -> handle.get().configure(bot));
    return bot;
  }

  @Produces
  @Singleton
  Dispatcher dispatcher(
      BotConfig config,
      UpdateKeyFunction keys,
      Bot bot,
      TelegramClient api,
      SessionStore sessions,
      SessionMetrics metrics,
      BlockingThreads blocking,
      OutboxSweep outbox,
      Vertx vertx) {
    Dispatcher dispatcher =
        Dispatcher.builder(bot)
            .concurrency(config.concurrency())
            .keys(keys)
            .api(api)
            .sessions(sessions)
            .workers(
                config.middlewareThread() == BotConfig.MiddlewareThread.EVENT_LOOP
                    ? new EventLoopStarts(vertx)
                    : blocking.executor())
            .blocking(blocking.executor())
            .updateTimeout(config.updateTimeout().orElse(null))
            .sessionMetrics(metrics)
            .onConflict(
                config.session().onConflict() == BotConfig.Session.OnConflict.RETRY
                    ? ConflictPolicy.retry(config.session().maxRetries())
                    : ConflictPolicy.FAIL)
            .build();
    dispatcher.setVertx(vertx);
    if (outbox.units() != null) {
      dispatcher.setUnits(outbox.units());
    }
    return dispatcher;
  }

  void close(@Disposes Dispatcher dispatcher) {
    dispatcher.close();
  }
}
