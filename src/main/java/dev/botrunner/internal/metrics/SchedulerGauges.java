package dev.botrunner.internal.metrics;

import dev.botrunner.internal.dispatch.Dispatcher;
import dev.botrunner.internal.dispatch.KeyedSerialScheduler;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;

/** Gauges over the keyed-serial scheduler: running, waiting, active keys and the slot limit. */
@Singleton
class SchedulerGauges implements MeterBinder {

  private final Dispatcher dispatcher;

  SchedulerGauges(Dispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    KeyedSerialScheduler scheduler = dispatcher.scheduler();
    Gauge.builder("botrunner.scheduler.running", scheduler, KeyedSerialScheduler::running)
        .description("Updates running now")
        .register(registry);
    Gauge.builder("botrunner.scheduler.waiting", scheduler, KeyedSerialScheduler::waiting)
        .description("Updates accepted and not yet started (waiting for a key or a slot)")
        .register(registry);
    Gauge.builder("botrunner.scheduler.active.keys", scheduler, KeyedSerialScheduler::activeKeys)
        .description("Keys (chats) with an update running or waiting")
        .register(registry);
    Gauge.builder("botrunner.scheduler.concurrency", scheduler, KeyedSerialScheduler::concurrency)
        .description("The limit of updates running at once (BOT_CONCURRENCY)")
        .register(registry);
  }
}
