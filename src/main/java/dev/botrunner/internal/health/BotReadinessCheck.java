package dev.botrunner.internal.health;

import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the bot can receive updates: token accepted, poll loop polling. */
@Readiness
@Singleton
class BotReadinessCheck implements HealthCheck {

  private final PollerHealth health;

  BotReadinessCheck(PollerHealth health) {
    this.health = health;
  }

  @Override
  public HealthCheckResponse call() {
    return health.describe("bot").status(health.ready()).build();
  }
}
