package dev.botrunner.health;

import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

/** Started once the first getMe answered, so the orchestrator waits for Telegram's verdict. */
@Startup
@Singleton
public class BotStartupCheck implements HealthCheck {

  private final PollerHealth health;

  BotStartupCheck(PollerHealth health) {
    this.health = health;
  }

  @Override
  public HealthCheckResponse call() {
    return health.describe("bot-started").status(health.started()).build();
  }
}
