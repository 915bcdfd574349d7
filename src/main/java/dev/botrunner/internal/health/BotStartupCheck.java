package dev.botrunner.internal.health;

import dev.botrunner.internal.store.SessionStoreProducer;
import dev.botrunner.internal.webhook.WebhookRegistration;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

/**
 * Started once the first getMe answered (so the orchestrator waits for Telegram's verdict), the
 * session schema is migrated (PostgreSQL store) and, in webhook mode with BOT_WEBHOOK_URL, the
 * webhook is registered.
 */
@Startup
@Singleton
class BotStartupCheck implements HealthCheck {

  private final PollerHealth health;
  private final SessionStoreProducer sessions;
  private final WebhookRegistration webhook;

  BotStartupCheck(PollerHealth health, SessionStoreProducer sessions, WebhookRegistration webhook) {
    this.health = health;
    this.sessions = sessions;
    this.webhook = webhook;
  }

  @Override
  public HealthCheckResponse call() {
    boolean schema = sessions.schemaReady();
    boolean registered = webhook.done();
    return health
        .describe("bot-started")
        .withData("schemaReady", schema)
        .withData("webhookStartupDone", registered)
        .status(health.started() && schema && registered)
        .build();
  }
}
