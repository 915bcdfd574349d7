package dev.botrunner.internal.metrics;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What recording one Bot API call in the {@code botrunner.api.calls} timer costs: registering the
 * timer on every call (what {@link BotApiMeters} did until round 4) against keeping it per method
 * and outcome (what it does now). The registry is a composite over Prometheus, as in the service.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Benchmark)
public class ApiCallTimerBenchmark {

  private CompositeMeterRegistry registry;
  private final ConcurrentMap<String, ConcurrentMap<String, Timer>> timers =
      new ConcurrentHashMap<>();

  @Setup
  public void setUp() {
    registry = new CompositeMeterRegistry();
    registry.add(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  private Timer build(String method, String outcome) {
    return Timer.builder("botrunner.api.calls")
        .description("Bot API call attempts by method and outcome (ok, error code, transport)")
        .tag("method", method)
        .tag("outcome", outcome)
        .register(registry);
  }

  @Benchmark
  public void registerOnEveryCall() {
    build("sendMessage", "ok").record(5_000_000L, TimeUnit.NANOSECONDS);
  }

  @Benchmark
  public void keptPerMethodAndOutcome() {
    timers
        .computeIfAbsent("sendMessage", m -> new ConcurrentHashMap<>())
        .computeIfAbsent("ok", o -> build("sendMessage", o))
        .record(5_000_000L, TimeUnit.NANOSECONDS);
  }
}
