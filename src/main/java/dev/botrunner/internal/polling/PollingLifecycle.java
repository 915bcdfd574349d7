package dev.botrunner.internal.polling;

import dev.botrunner.config.BotConfig;
import dev.botrunner.internal.client.TelegramClient;
import dev.botrunner.internal.config.StartupValidation;
import dev.botrunner.internal.dispatch.Dispatcher;
import dev.botrunner.internal.dispatch.Draining;
import dev.botrunner.internal.store.Delivery;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Starts the long-polling loop when {@code BOT_MODE=polling}, and drains it on shutdown: the {@link
 * Draining} flag goes up first (readiness DOWN), polling stops fetching, updates in flight get
 * {@code BOT_SHUTDOWN_GRACE} to finish, then the poller confirms its watermark.
 */
@Singleton
public class PollingLifecycle {

  private static final Logger LOG = Logger.getLogger(PollingLifecycle.class);

  /**
   * How long the poller waits before it tries the lock again after its database could not be
   * reached, or after it lost the lock. Not the handover time: a standby waits in PostgreSQL's
   * queue for the lock and takes it the moment it is released.
   */
  static final Duration LOCK_RETRY = Duration.ofSeconds(3);

  private volatile LongPoller poller;

  void onStart(
      @Observes @Priority(StartupValidation.PRIORITY + 100) StartupEvent event,
      BotConfig config,
      Instance<TelegramClient> api,
      Instance<Dispatcher> dispatcher,
      Instance<Delivery> delivery,
      Instance<io.vertx.mutiny.core.Vertx> vertx) {
    if (config.mode() != BotConfig.Mode.POLLING) {
      return;
    }
    Delivery state = delivery.get();
    LongPollerBuilder settings =
        LongPoller.builder(api.get(), dispatcher.get())
            .pollSeconds(config.polling().timeout())
            .allowedUpdates(config.allowedUpdates().orElse(null))
            .deleteWebhook(config.polling().deleteWebhook())
            .maxWaiting(config.maxWaiting())
            .backoff(config.polling().minBackoff(), config.polling().maxBackoff());
    if (state.pending().durable()) {
      settings.pendingUpdates(state.pending());
    }
    // Several replicas of this bot may poll: the one holding its lock does, the others stand by.
    // Other bots on the same database have locks of their own.
    state.pollerLock(vertx.get()).ifPresent(lock -> settings.pollerLock(lock, LOCK_RETRY));
    LongPoller created = settings.build();
    poller = created;
    created.start();
  }

  void onStop(@Observes ShutdownEvent event, BotConfig config, Draining draining) {
    draining.set(true);
    LongPoller current = poller;
    if (current == null) {
      return;
    }
    Duration grace = config.shutdownGrace();
    try {
      LOG.infof("draining: polling stopped, waiting up to %s for updates in flight", grace);
      current.drain(grace);
      current.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warn("draining was interrupted");
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
