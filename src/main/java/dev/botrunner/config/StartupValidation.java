package dev.botrunner.config;

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
    if (config.mode() == BotConfig.Mode.WEBHOOK) {
      LOG.warn(
          "BOT_MODE=webhook: this build has no webhook endpoint yet, so no update will arrive;"
              + " set BOT_MODE=polling to receive updates by long polling");
    }
  }
}
