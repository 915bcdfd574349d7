package dev.botrunner.internal.client;

import dev.botrunner.config.BotConfig;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the Bot API client a CDI bean. */
@Singleton
public class TelegramClientProducer {

  /** Connections beyond the concurrency limit: the long poll holds one of its own. */
  private static final int SPARE_CONNECTIONS = 2;

  @Produces
  @Singleton
  TelegramClient telegramClient(BotConfig config, io.vertx.mutiny.core.Vertx vertx) {
    String token =
        config
            .token()
            .map(String::trim)
            .orElseThrow(() -> new IllegalStateException("BOT_TOKEN is not set"));
    int connections = Math.min(config.concurrency(), 1000) + SPARE_CONNECTIONS;
    Throttle throttle =
        config.apiThrottle()
            ? Throttle.telegramLimits(
                config.apiThrottleMaxQueue(),
                System::nanoTime,
                (delayNanos, task) ->
                    vertx.setTimer(
                        Math.max(1, (delayNanos + 999_999) / 1_000_000), id -> task.run()))
            : null;
    return new TelegramClient(
        vertx,
        config.apiUrl(),
        token,
        connections,
        config.apiTimeout(),
        new RetryPolicy(config.apiMaxRetries(), config.apiMaxDelay(), config.apiFloodBudget()),
        throttle,
        config.apiFollowMigration());
  }

  void close(@Disposes TelegramClient client) {
    client.close();
  }
}
