package dev.botrunner.internal.webhook;

import dev.botrunner.config.BotConfig;
import dev.botrunner.internal.config.StartupValidation;
import dev.botrunner.internal.dispatch.Dispatcher;
import dev.botrunner.internal.dispatch.Draining;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Webhook mode's start and drain: once the schema is migrated, the leases of updates answered at
 * the deadline are renewed and what a dead process saved runs again; on shutdown the {@link
 * Draining} flag goes up (the webhook answers 503, Telegram re-sends), updates in flight get {@code
 * BOT_SHUTDOWN_GRACE}, and this process's saved updates are handed on to the next.
 */
@Singleton
class WebhookLifecycle {

  private static final Logger LOG = Logger.getLogger(WebhookLifecycle.class);

  /** How long shutdown waits for the database to hand unfinished webhook updates on. */
  static final Duration RELEASE_WAIT = Duration.ofSeconds(5);

  private WebhookLeases leases;
  private Vertx leaseTimers;
  private Draining draining;
  private boolean started;

  void onStart(
      @Observes @Priority(StartupValidation.PRIORITY + 100) StartupEvent event,
      BotConfig config,
      Draining draining) {
    if (config.mode() == BotConfig.Mode.WEBHOOK) {
      startLeases(draining);
    }
  }

  void onStop(
      @Observes ShutdownEvent event,
      BotConfig config,
      Draining draining,
      Instance<Dispatcher> dispatcher) {
    draining.set(true);
    if (config.mode() != BotConfig.Mode.WEBHOOK || !dispatcher.isResolvable()) {
      return;
    }
    Duration grace = config.shutdownGrace();
    try {
      LOG.infof("draining: webhook answers 503, waiting up to %s for updates in flight", grace);
      int left = dispatcher.get().awaitIdle(grace);
      if (left > 0) {
        LOG.warnf(
            "%d update(s) did not finish within %s; Telegram re-sends those whose webhook"
                + " request was not answered yet",
            left, grace);
      } else {
        LOG.info("webhook drained: every accepted update finished");
      }
      WebhookLeases held;
      Vertx timers;
      synchronized (this) {
        held = leases;
        timers = leaseTimers;
      }
      if (held != null) {
        held.stop(timers, RELEASE_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warn("draining was interrupted");
    }
  }

  /**
   * @param leases the webhook's saved updates, handed on to the next process at shutdown
   * @param vertx the owner of their renewal timer
   */
  synchronized void leases(WebhookLeases leases, Vertx vertx) {
    this.leaseTimers = vertx;
    this.leases = leases;
    if (started) {
      leases.start(vertx, draining::on);
    }
  }

  /**
   * From here on (the schema is migrated) leases are renewed, and what a dead process saved at the
   * deadline runs again; the same startup point at which the poller runs its spill.
   */
  private synchronized void startLeases(Draining flag) {
    started = true;
    draining = flag;
    if (leases != null) {
      leases.start(leaseTimers, draining::on);
    }
  }
}
