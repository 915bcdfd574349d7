package dev.botrunner.update;

import dev.botrunner.config.BotConfig;
import dev.botrunner.config.DatasourceUrl;
import dev.botrunner.config.StartupValidation;
import dev.botrunner.dispatch.Dispatcher;
import dev.botrunner.dispatch.KeyedSerialScheduler;
import dev.botrunner.session.PostgresSessionStore;
import dev.botrunner.session.SessionStore;
import dev.botrunner.telegram.TelegramClient;
import dev.botrunner.telegram.TokenRedactor;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Starts the long-polling loop when {@code BOT_MODE=polling}, and drains on shutdown in both modes:
 * the draining flag goes up first (readiness DOWN, webhook answers 503), polling stops fetching,
 * updates in flight get {@code BOT_SHUTDOWN_GRACE} to finish, then the poller confirms its
 * watermark.
 */
@Singleton
public class PollingLifecycle {

  private static final Logger LOG = Logger.getLogger(PollingLifecycle.class);

  /** How long shutdown waits for the database to hand unfinished webhook updates on. */
  static final Duration RELEASE_WAIT = Duration.ofSeconds(5);

  private volatile LongPoller poller;
  private volatile boolean draining;
  private volatile WebhookLeases leases;
  private volatile io.vertx.core.Vertx leaseTimers;
  private boolean started;

  void onStart(
      @Observes @Priority(StartupValidation.PRIORITY + 100) StartupEvent event,
      BotConfig config,
      Instance<TelegramClient> api,
      Instance<Dispatcher> dispatcher,
      Instance<SessionStore> store,
      Instance<io.vertx.mutiny.core.Vertx> vertx) {
    if (config.mode() != BotConfig.Mode.POLLING) {
      startLeases();
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
    if (store.get() instanceof PostgresSessionStore postgres) {
      poller.pendingUpdates(new PostgresPendingUpdates(postgres.pool(), postgres.botId()));
      // Several replicas of this bot may poll: the one holding its advisory lock does, the others
      // stand by. Other bots on the same database have locks of their own.
      poller.pollerLock(
          new PostgresPollerLock(vertx.get(), connectOptions(), postgres.botId()),
          Duration.ofSeconds(3));
    }
    poller.start();
  }

  void onStop(@Observes ShutdownEvent event, BotConfig config, Instance<Dispatcher> dispatcher) {
    draining = true;
    Duration grace = config.shutdownGrace();
    LongPoller current = poller;
    try {
      if (current != null) {
        LOG.infof("draining: polling stopped, waiting up to %s for updates in flight", grace);
        current.drain(grace);
        current.stop();
      } else if (config.mode() == BotConfig.Mode.WEBHOOK && dispatcher.isResolvable()) {
        LOG.infof("draining: webhook answers 503, waiting up to %s for updates in flight", grace);
        int left = awaitIdle(dispatcher.get(), grace);
        if (left > 0) {
          LOG.warnf(
              "%d update(s) did not finish within %s; Telegram re-sends those whose webhook"
                  + " request was not answered yet",
              left, grace);
        } else {
          LOG.info("webhook drained: every accepted update finished");
        }
        WebhookLeases held = leases;
        if (held != null) {
          held.stop(leaseTimers, RELEASE_WAIT);
        }
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
  synchronized void webhookLeases(WebhookLeases leases, io.vertx.core.Vertx vertx) {
    this.leaseTimers = vertx;
    this.leases = leases;
    if (started) {
      leases.start(vertx, this::draining);
    }
  }

  /**
   * Webhook mode: from here on (the schema is migrated) leases are renewed, and what a dead process
   * saved at the deadline runs again; the same startup point at which the poller runs its spill.
   */
  private synchronized void startLeases() {
    started = true;
    if (leases != null) {
      leases.start(leaseTimers, this::draining);
    }
  }

  /** The session store's database, for the poller lock's own connection. */
  private static PgConnectOptions connectOptions() {
    Config config = ConfigProvider.getConfig();
    return connectOptions(
        config.getValue(DatasourceUrl.PROPERTY, String.class),
        config.getOptionalValue("quarkus.datasource.username", String.class),
        config.getOptionalValue("quarkus.datasource.password", String.class));
  }

  /**
   * @param reactiveUrl {@code QUARKUS_DATASOURCE_REACTIVE_URL}
   * @param user the username, when set on its own
   * @param password the password, when set on its own
   * @return the options of the poller lock's connection
   * @throws IllegalStateException when the URL cannot be parsed; its message names the setting and
   *     quotes the URL without its password (the parser's own message quotes it whole)
   */
  static PgConnectOptions connectOptions(
      String reactiveUrl, Optional<String> user, Optional<String> password) {
    String url = reactiveUrl.trim();
    if (url.startsWith("vertx-reactive:")) {
      url = url.substring("vertx-reactive:".length());
    }
    PgConnectOptions options;
    try {
      options = PgConnectOptions.fromUri(url);
    } catch (IllegalArgumentException e) {
      TokenRedactor redactor = new TokenRedactor(null);
      throw new IllegalStateException(
          DatasourceUrl.PROPERTY
              + " (QUARKUS_DATASOURCE_REACTIVE_URL) is not a PostgreSQL URL: "
              + redactor.redactUrl(url)
              + " ("
              + redactor.redactUrl(e.getMessage())
              + ")");
    }
    user.ifPresent(options::setUser);
    password.ifPresent(options::setPassword);
    return options;
  }

  /** Waits until nothing runs or waits in the scheduler, or {@code grace} passed. */
  static int awaitIdle(Dispatcher dispatcher, Duration grace) throws InterruptedException {
    long deadline = System.nanoTime() + grace.toNanos();
    KeyedSerialScheduler scheduler = dispatcher.scheduler();
    while (scheduler.pending() > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        dispatcher
            .nextRelease()
            .toCompletableFuture()
            .get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // look again
      }
    }
    return scheduler.pending();
  }

  /**
   * Raises or lowers the draining flag alone (readiness DOWN, webhook answers 503), without waiting
   * for anything; shutdown raises it first. For tests and for taking a replica out of rotation.
   *
   * @param on whether new updates are refused
   */
  public void setDraining(boolean on) {
    draining = on;
  }

  /**
   * @return whether the process is shutting down (readiness DOWN, webhook answers 503)
   */
  public boolean draining() {
    return draining;
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
