package dev.botrunner.internal.client;

import dev.botrunner.config.BotConfig;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the Bot API client a CDI bean. */
@Singleton
class TelegramClientProducer {

  /** Connections beyond the concurrency limit: the long poll holds one of its own. */
  private static final int SPARE_CONNECTIONS = 2;

  /** Most connections middleware's calls get: a very high concurrency opens no more sockets. */
  private static final int MAX_CALL_CONNECTIONS = 1000;

  @Produces
  @Singleton
  TelegramClient telegramClient(BotConfig config, io.vertx.mutiny.core.Vertx vertx) {
    String token =
        config
            .token()
            .map(String::trim)
            .orElseThrow(() -> new IllegalStateException("BOT_TOKEN is not set"));
    int connections = Math.min(config.concurrency(), MAX_CALL_CONNECTIONS) + SPARE_CONNECTIONS;
    Throttle throttle =
        config.apiThrottle()
            ? Throttle.telegramLimits(
                config.apiThrottleMaxQueue(),
                System::nanoTime,
                (delayNanos, task) ->
                    vertx.setTimer(
                        Math.max(1, (delayNanos + 999_999) / 1_000_000), id -> task.run()))
            : null;
    return TelegramClient.builder(vertx, config.apiUrl(), token)
        .maxConnections(connections)
        .timeout(config.apiTimeout())
        .retries(
            new RetryPolicy(config.apiMaxRetries(), config.apiMaxDelay(), config.apiFloodBudget()))
        .throttle(throttle)
        .followMigration(config.apiFollowMigration())
        .build();
  }

  void close(@Disposes TelegramClient client) {
    client.close();
  }
}
