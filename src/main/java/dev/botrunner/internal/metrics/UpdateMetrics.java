package dev.botrunner.internal.metrics;

import dev.botrunner.config.BotConfig;
import dev.botrunner.internal.config.StartupValidation;
import dev.botrunner.internal.dispatch.DispatchListener;
import dev.botrunner.internal.dispatch.Dispatcher;
import dev.botrunner.internal.dispatch.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Per-update meters, fed by a {@link DispatchListener} on the {@link Dispatcher}: updates received,
 * processed, failed and timed out by source and type; the time each update waited for its keys (or
 * a slot) and the time it ran. The source is the process's mode ({@code polling} or {@code
 * webhook}): one process has one update source.
 */
@Singleton
class UpdateMetrics implements DispatchListener {

  /** Buckets of both timers, from a quick handler to one that hits the webhook deadline. */
  static final Duration[] BUCKETS = {
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30)
  };

  private MeterRegistry registry;
  private String source;
  private Timer keyWait;
  private final Map<String, Counter> received = new ConcurrentHashMap<>();
  private final Map<String, Counter> processed = new ConcurrentHashMap<>();
  private final Map<String, Counter> failed = new ConcurrentHashMap<>();
  private final Map<String, Counter> timedOut = new ConcurrentHashMap<>();
  private final Map<String, Timer> processing = new ConcurrentHashMap<>();
  private final AtomicLong newestUpdateId = new AtomicLong(-1);

  /** Attaches to the dispatcher before any update source starts. */
  void attach(
      @Observes @Priority(StartupValidation.PRIORITY + 50) StartupEvent event,
      BotConfig config,
      MeterRegistry registry,
      Dispatcher dispatcher) {
    attach(registry, config.mode().name().toLowerCase(Locale.ROOT), dispatcher);
  }

  /**
   * Registers the meters and listens to the dispatcher (also usable without CDI).
   *
   * @param registry where the meters go
   * @param source the tag value for the update source
   * @param dispatcher the dispatcher to observe
   */
  public void attach(MeterRegistry registry, String source, Dispatcher dispatcher) {
    this.registry = registry;
    this.source = source;
    this.keyWait =
        Timer.builder("botrunner.update.key.wait")
            .description("Time from accepting an update until it started (waiting for its keys)")
            .tag("source", source)
            .serviceLevelObjectives(BUCKETS)
            .register(registry);
    dispatcher.setListener(this);
  }

  /**
   * @return the highest update_id accepted so far, or -1
   */
  public long newestUpdateId() {
    return newestUpdateId.get();
  }

  @Override
  public void submitted(Update update) {
    Integer id = update.getUpdateId();
    if (id != null) {
      newestUpdateId.accumulateAndGet(id, Math::max);
    }
    counter(received, "botrunner.updates.received", "Updates accepted from the source", update)
        .increment();
  }

  @Override
  public void started(Update update, long waitedNanos) {
    keyWait.record(waitedNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void ended(Update update, Outcome outcome, long runNanos) {
    String type = UpdateTypes.of(update);
    processing
        .computeIfAbsent(
            type,
            t ->
                Timer.builder("botrunner.update.processing")
                    .description("Time an update ran: middleware, its Bot API calls, session write")
                    .tags("source", source, "type", t)
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry))
        .record(runNanos, TimeUnit.NANOSECONDS);
    switch (outcome) {
      case DONE ->
          counter(processed, "botrunner.updates.processed", "Updates handled successfully", update)
              .increment();
      case FAILED ->
          counter(failed, "botrunner.updates.failed", "Updates whose middleware failed", update)
              .increment();
      case TIMED_OUT ->
          counter(
                  timedOut,
                  "botrunner.updates.timed.out",
                  "Updates still running at BOT_UPDATE_TIMEOUT",
                  update)
              .increment();
    }
  }

  private Counter counter(
      Map<String, Counter> cache, String name, String description, Update update) {
    return cache.computeIfAbsent(
        UpdateTypes.of(update),
        type ->
            Counter.builder(name)
                .description(description)
                .tags("source", source, "type", type)
                .register(registry));
  }
}
