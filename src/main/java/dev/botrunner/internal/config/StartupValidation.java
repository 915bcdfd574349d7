package dev.botrunner.internal.config;

import dev.botrunner.config.BotConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Validates the configuration before anything else starts, so a bad setting stops the process with
 * a message that says what to fix.
 */
@Singleton
public class StartupValidation {

  private static final Logger LOG = Logger.getLogger(StartupValidation.class);

  /** Observer priority: lower runs first; sources start after this. */
  public static final int PRIORITY = 10;

  void onStart(@Observes @Priority(PRIORITY) StartupEvent event, BotConfig config) {
    BotConfigValidator.requireValid(config, DatasourceUrl.configured());
    if (config.mode() == BotConfig.Mode.WEBHOOK && config.webhook().secret().isEmpty()) {
      LOG.warn(
          "BOT_WEBHOOK_INSECURE=true: the webhook accepts posts without a secret token; anyone who"
              + " finds its URL can send fake updates");
    }
  }
}
