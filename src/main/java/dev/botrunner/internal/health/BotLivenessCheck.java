package dev.botrunner.internal.health;

import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Alive unless the poll loop is wedged. Cheap, and deliberately blind to Telegram or database
 * outages: restarting the process would not fix those.
 */
@Liveness
@Singleton
class BotLivenessCheck implements HealthCheck {

  private final PollerHealth health;

  BotLivenessCheck(PollerHealth health) {
    this.health = health;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("bot-loop").status(health.alive()).build();
  }
}
