package dev.botrunner.internal.metrics;

import dev.botrunner.internal.client.RetryPolicy;
import dev.botrunner.internal.client.TelegramClient;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Outbound Bot API meters: retries and 429s (over {@link RetryPolicy}) and a timer per method and
 * outcome (over the client's call stats).
 */
@Singleton
class BotApiMeters implements MeterBinder {

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
    // Methods and outcomes appear as calls are made, so each timer is created on first use and
    // then kept: registering it again on every call (building its id, looking it up in the
    // registry) cost more than recording the call (docs/benchmarks-history.md, round 4).
    ConcurrentMap<String, ConcurrentMap<String, Timer>> timers = new ConcurrentHashMap<>();
    api.stats()
        .setListener(
            (method, outcome, nanos) ->
                timers
                    .computeIfAbsent(method, m -> new ConcurrentHashMap<>())
                    .computeIfAbsent(outcome, o -> timer(registry, method, o))
                    .record(nanos, TimeUnit.NANOSECONDS));
  }

  private static Timer timer(MeterRegistry registry, String method, String outcome) {
    return Timer.builder("botrunner.api.calls")
        .description("Bot API call attempts by method and outcome (ok, error code, transport)")
        .tag("method", method)
        .tag("outcome", outcome)
        .register(registry);
  }
}
