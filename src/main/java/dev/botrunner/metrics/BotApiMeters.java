package dev.botrunner.metrics;

import dev.botrunner.telegram.RetryPolicy;
import dev.botrunner.telegram.TelegramClient;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;

/** Counters over the outbound {@link RetryPolicy}: retries made and 429 answers seen. */
@Singleton
public class BotApiMeters implements MeterBinder {

  private final TelegramClient api;

  BotApiMeters(TelegramClient api) {
    this.api = api;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    RetryPolicy retries = api.retries();
    FunctionCounter.builder("botrunner.api.retries", retries, RetryPolicy::retryCount)
        .description("Outbound Bot API calls retried (429, 5xx, lost connections)")
        .register(registry);
    FunctionCounter.builder("botrunner.api.flood.waits", retries, RetryPolicy::floodWaitCount)
        .description("429 Too Many Requests answers to outbound Bot API calls")
        .register(registry);
  }
}
