package dev.botrunner.internal.metrics;

import dev.botrunner.config.BotConfig;
import dev.botrunner.internal.polling.LongPoller;
import dev.botrunner.internal.polling.PollingLifecycle;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;

/**
 * Polling lag (polling mode only): the newest update_id accepted minus the newest one confirmed to
 * Telegram (the {@code getUpdates} offset minus one). Updates between the two are redelivered after
 * a crash. 0 before the first batch.
 */
@Singleton
class PollingMeters implements MeterBinder {

  private final BotConfig config;
  private final PollingLifecycle polling;
  private final UpdateMetrics updates;

  PollingMeters(BotConfig config, PollingLifecycle polling, UpdateMetrics updates) {
    this.config = config;
    this.polling = polling;
    this.updates = updates;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    if (config.mode() != BotConfig.Mode.POLLING) {
      return;
    }
    Gauge.builder("botrunner.polling.lag", this, PollingMeters::lag)
        .description("Newest update_id accepted minus newest update_id confirmed to Telegram")
        .register(registry);
  }

  double lag() {
    LongPoller poller = polling.poller();
    long newest = updates.newestUpdateId();
    Integer offset = poller == null ? null : poller.offset();
    if (newest < 0 || offset == null) {
      return 0;
    }
    return Math.max(0, newest - (offset - 1L));
  }
}
