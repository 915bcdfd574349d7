package dev.botrunner.internal.metrics;

import dev.botrunner.internal.store.SessionMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;
import java.util.function.ToDoubleFunction;

/** Counters over {@link SessionMetrics}: reads, writes, skipped writes, conflicts, sweeps. */
@Singleton
class SessionMeters implements MeterBinder {

  private final SessionMetrics sessions;

  SessionMeters(SessionMetrics sessions) {
    this.sessions = sessions;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    count(registry, "botrunner.session.reads", "Session reads from the store", s -> s.reads());
    count(
        registry,
        "botrunner.session.writes",
        "Session writes and deletes sent to the store",
        s -> s.writes());
    count(
        registry,
        "botrunner.session.skipped.writes",
        "Sessions not written back because they did not change",
        s -> s.skippedWrites());
    count(
        registry,
        "botrunner.session.conflicts",
        "Session writes rejected because another writer changed the session",
        s -> s.conflicts());
    count(
        registry,
        "botrunner.session.sweeps",
        "Runs of the expired-session sweeper",
        s -> s.sweeps());
    count(registry, "botrunner.session.swept", "Expired sessions deleted", s -> s.swept());
  }

  private void count(
      MeterRegistry registry, String name, String description, ToDoubleFunction<SessionMetrics> f) {
    FunctionCounter.builder(name, sessions, f).description(description).register(registry);
  }
}
