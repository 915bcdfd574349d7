package dev.botrunner.update;

import dev.botrunner.config.BotConfig;
import dev.botrunner.config.StartupValidation;
import dev.botrunner.dispatch.Dispatcher;
import dev.botrunner.telegram.TelegramClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** Starts the long-polling loop when {@code BOT_MODE=polling} and stops it on shutdown. */
@Singleton
public class PollingLifecycle {

  private static final Logger LOG = Logger.getLogger(PollingLifecycle.class);

  private volatile LongPoller poller;

  void onStart(
      @Observes @Priority(StartupValidation.PRIORITY + 100) StartupEvent event,
      BotConfig config,
      Instance<TelegramClient> api,
      Instance<Dispatcher> dispatcher) {
    if (config.mode() != BotConfig.Mode.POLLING) {
      return;
    }
    poller =
        new LongPoller(
            api.get(),
            dispatcher.get(),
            config.polling().timeout(),
            config.allowedUpdates().orElse(null),
            config.polling().deleteWebhook(),
            config.maxWaiting(),
            config.polling().minBackoff(),
            config.polling().maxBackoff());
    poller.start();
  }

  void onStop(@Observes ShutdownEvent event) {
    LongPoller current = poller;
    if (current != null) {
      current.stop();
      LOG.info("long polling stopped");
    }
  }

  /**
   * @return the polling loop, or null when this process does not poll
   */
  public LongPoller poller() {
    return poller;
  }

  /**
   * @return the loop's state, {@link PollerState#IDLE} when not polling
   */
  public PollerState state() {
    LongPoller current = poller;
    return current == null ? PollerState.IDLE : current.state();
  }
}
