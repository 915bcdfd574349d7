package dev.botrunner.internal.webhook;

import dev.botrunner.TelegramApiException;
import dev.botrunner.config.BotConfig;
import dev.botrunner.internal.client.TelegramClient;
import dev.botrunner.internal.config.StartupValidation;
import dev.botrunner.internal.dispatch.Dispatcher;
import dev.botrunner.internal.logging.TokenRedactor;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.api.objects.WebhookInfo;

/**
 * In webhook mode, at startup: learns the bot's username (getMe) and, when {@code BOT_WEBHOOK_URL}
 * is set, registers the webhook, calling {@code setWebhook} only if {@code getWebhookInfo} shows a
 * difference. Never deletes the webhook on shutdown: during a rolling update the old instances stop
 * while the new ones serve the same registration.
 */
@Singleton
public class WebhookRegistration {

  private static final Logger LOG = Logger.getLogger(WebhookRegistration.class);

  /** First wait before the startup calls run again; the waits grow from here. */
  static final Duration STARTUP_RETRY_FIRST = Duration.ofSeconds(1);

  /** Longest wait between two startup attempts. */
  static final Duration STARTUP_RETRY_MAX = Duration.ofSeconds(30);

  /**
   * Attempts after the first (about half a minute of waits); then the startup probe stays DOWN, so
   * the orchestrator restarts a service that cannot reach the Bot API.
   */
  static final int STARTUP_RETRIES = 5;

  /** Whether getMe answered and, when BOT_WEBHOOK_URL is set, the webhook is registered. */
  private volatile boolean done;

  /** Whether Telegram answered getMe with 401/404. */
  private volatile boolean tokenRejected;

  void onStart(
      @Observes @Priority(StartupValidation.PRIORITY + 100) StartupEvent event,
      BotConfig config,
      Instance<TelegramClient> apis,
      Instance<Dispatcher> dispatchers) {
    if (config.mode() != BotConfig.Mode.WEBHOOK) {
      done = true;
      return;
    }
    TelegramClient api = apis.get();
    Dispatcher dispatcher = dispatchers.get();
    Uni<Void> startup =
        api.getMe()
            .invoke(
                user -> {
                  dispatcher.setBotUsername(user.getUserName());
                  LOG.infof("authorized as @%s", user.getUserName());
                })
            .replaceWithVoid();
    String url = config.webhook().url().map(String::trim).orElse("");
    if (!url.isEmpty()) {
      String secret = config.webhook().secret().orElse(null);
      List<String> allowed = config.allowedUpdates().filter(list -> !list.isEmpty()).orElse(null);
      int maxConnections = config.webhook().maxConnections();
      TokenRedactor redactor = new TokenRedactor(config.token().orElse(null));
      startup = startup.chain(() -> register(api, url, secret, allowed, maxConnections, redactor));
    }
    follow(startup);
  }

  /**
   * Runs the startup calls, retrying all but a rejected token, and records the verdict.
   *
   * @param startup getMe, then the registration when configured
   */
  public void follow(Uni<Void> startup) {
    startup
        .onFailure(failure -> !isRejectedToken(failure))
        .retry()
        .withBackOff(STARTUP_RETRY_FIRST, STARTUP_RETRY_MAX)
        .atMost(STARTUP_RETRIES)
        .subscribe()
        .with(
            ignored -> done = true,
            failure -> {
              if (isRejectedToken(failure)) {
                // Telegram's verdict is in: startup is over, and readiness stays DOWN.
                tokenRejected = true;
                done = true;
                LOG.errorf(
                    "Telegram rejected BOT_TOKEN (%s); set a valid token from @BotFather."
                        + " Readiness stays DOWN.",
                    failure.getMessage());
                return;
              }
              LOG.errorf(
                  "webhook startup calls failed: %s. Check BOT_TOKEN, BOT_API_URL and"
                      + " BOT_WEBHOOK_URL; the endpoint still accepts posts, and the startup"
                      + " probe stays DOWN so that the orchestrator restarts the service.",
                  failure.getMessage());
            });
  }

  /**
   * @return whether getMe answered 401/404 at startup (webhook mode): the token is wrong or revoked
   */
  public boolean tokenRejected() {
    return tokenRejected;
  }

  /**
   * @return true outside webhook mode, else once getMe answered (accepted or rejected the token)
   *     and the webhook (if configured) is registered; the startup probe waits for this
   */
  public boolean done() {
    return done;
  }

  private static boolean isRejectedToken(Throwable failure) {
    return failure instanceof TelegramApiException api
        && (api.errorCode() == 401 || api.errorCode() == 404);
  }

  /**
   * Registers the webhook unless {@code getWebhookInfo} shows the same registration. The URL is
   * logged only through {@code redactor}: many bots put their token in the webhook's path.
   *
   * @param api the Bot API client
   * @param url {@code BOT_WEBHOOK_URL}
   * @param secret the secret token, or null
   * @param allowed update types, or null for Telegram's default
   * @param maxConnections {@code max_connections}
   * @param redactor masks the token (and other secrets) in the URL before it is logged
   * @return completes once the webhook is registered
   */
  static Uni<Void> register(
      TelegramClient api,
      String url,
      String secret,
      List<String> allowed,
      int maxConnections,
      TokenRedactor redactor) {
    String shown = redactor.redactUrl(url);
    return api.getWebhookInfo()
        .chain(
            info -> {
              String why = difference(info, url, allowed, maxConnections, secret != null);
              if (why == null) {
                LOG.infof("webhook already registered at %s", shown);
                return Uni.createFrom().voidItem();
              }
              return api.setWebhook(url, secret, allowed, maxConnections)
                  .invoke(() -> LOG.infof("webhook registered at %s (%s)", shown, why))
                  .replaceWithVoid();
            });
  }

  /**
   * Says why the registration must be renewed, or null when it matches. Telegram never returns the
   * secret token, so a changed secret cannot be seen directly; a last delivery error of 401 (which
   * is what a stale secret produces) counts as a difference.
   */
  static String difference(
      WebhookInfo info, String url, List<String> allowed, int maxConnections, boolean hasSecret) {
    if (!url.equals(info.getUrl())) {
      return "the URL differs";
    }
    if (!Objects.equals(info.getMaxConnections(), maxConnections)) {
      return "max_connections differs";
    }
    if (allowed != null
        && (info.getAllowedUpdates() == null
            || !new HashSet<>(allowed).equals(new HashSet<>(info.getAllowedUpdates())))) {
      return "allowed_updates differ";
    }
    String error = info.getLastErrorMessage();
    if (hasSecret && error != null && error.contains("401")) {
      return "Telegram's last delivery was refused with 401, the secret token may have changed";
    }
    return null;
  }
}
