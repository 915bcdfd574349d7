package dev.botrunner.internal.health;

import dev.botrunner.config.BotConfig;
import dev.botrunner.internal.dispatch.Dispatcher;
import dev.botrunner.internal.dispatch.Draining;
import dev.botrunner.internal.dispatch.KeyedSerialScheduler;
import dev.botrunner.internal.polling.LongPoller;
import dev.botrunner.internal.polling.PollerState;
import dev.botrunner.internal.polling.PollingLifecycle;
import dev.botrunner.internal.webhook.WebhookRegistration;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * What the three probes know about the bot, in one place: the token was accepted, the poll loop is
 * alive, and how busy the runner is. Details never hold the token.
 */
@Singleton
class PollerHealth {

  /** Margin on top of the longest legitimate silence of the poll loop. */
  private static final Duration SLACK = Duration.ofSeconds(30);

  private final BotConfig config;
  private final PollingLifecycle polling;
  private final Draining draining;
  private final Instance<Dispatcher> dispatcher;
  private final WebhookRegistration webhook;

  PollerHealth(
      BotConfig config,
      PollingLifecycle polling,
      Draining draining,
      Instance<Dispatcher> dispatcher,
      WebhookRegistration webhook) {
    this.config = config;
    this.polling = polling;
    this.draining = draining;
    this.dispatcher = dispatcher;
    this.webhook = webhook;
  }

  /**
   * @param name the check's name
   * @return a response builder with mode, poller state and runner load as details
   */
  HealthCheckResponseBuilder describe(String name) {
    HealthCheckResponseBuilder builder =
        HealthCheckResponse.named(name).withData("mode", config.mode().name().toLowerCase());
    if (draining.on()) {
      builder.withData("draining", true);
    }
    LongPoller poller = polling.poller();
    if (webhook.tokenRejected()) {
      builder.withData("authorized", false);
    }
    if (poller != null) {
      builder.withData("poller", poller.state().name().toLowerCase());
      builder.withData("authorized", poller.authorized());
      if (poller.lastError() != null) {
        builder.withData("lastError", poller.lastError());
      }
    }
    if (dispatcher.isResolvable() && poller != null) {
      KeyedSerialScheduler scheduler = dispatcher.get().scheduler();
      builder
          .withData("running", scheduler.running())
          .withData("waiting", scheduler.waiting())
          .withData("activeKeys", scheduler.activeKeys());
    }
    return builder;
  }

  /**
   * @return whether updates can be received: the token is accepted and the loop is polling
   */
  boolean ready() {
    if (draining.on()) {
      return false;
    }
    LongPoller poller = polling.poller();
    if (config.mode() != BotConfig.Mode.POLLING) {
      return !webhook.tokenRejected();
    }
    // A standby replica (another one holds the poller lock) is ready: it takes over on its own.
    return poller != null
        && (poller.state() == PollerState.POLLING || poller.state() == PollerState.STANDBY)
        && poller.authorized();
  }

  /**
   * @return whether the first getMe answered (the service knows who it is)
   */
  boolean started() {
    LongPoller poller = polling.poller();
    if (config.mode() != BotConfig.Mode.POLLING) {
      return webhook.done();
    }
    return poller != null && (poller.authorized() || poller.state() == PollerState.UNAUTHORIZED);
  }

  /**
   * @return false only when the poll loop has been silent far longer than any long poll, retry
   *     delay and call timeout together allow: it is wedged and a restart is the remedy
   */
  boolean alive() {
    LongPoller poller = polling.poller();
    if (poller == null || poller.state() != PollerState.POLLING || poller.waitingForCapacity()) {
      return true;
    }
    Duration limit =
        Duration.ofSeconds(config.polling().timeout())
            .plus(config.apiTimeout())
            .plus(config.polling().maxBackoff())
            .plus(SLACK);
    return System.nanoTime() - poller.lastActivityNanos() < limit.toNanos();
  }
}
