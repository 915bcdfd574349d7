package dev.botrunner.internal.polling;

import dev.botrunner.internal.client.TelegramClient;
import dev.botrunner.internal.dispatch.Dispatcher;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.api.objects.User;

/**
 * What the polling loop does once before its first {@code getUpdates}: {@code getMe}, which proves
 * the token and tells the dispatcher the bot's username (for {@code /command@bot}), then, if asked,
 * {@code deleteWebhook}, because Telegram refuses {@code getUpdates} while a webhook is set.
 */
final class Handshake {

  /** The polling loop's category, so that one log setting covers the whole loop. */
  private static final Logger LOG = Logger.getLogger(LongPoller.class);

  private final TelegramClient api;
  private final Dispatcher dispatcher;
  private final boolean deleteWebhook;
  private volatile boolean authorized;
  private volatile boolean done;

  /**
   * @param api the Bot API client
   * @param dispatcher told the bot's username
   * @param deleteWebhook whether to delete a registered webhook
   */
  Handshake(TelegramClient api, Dispatcher dispatcher, boolean deleteWebhook) {
    this.api = api;
    this.dispatcher = dispatcher;
    this.deleteWebhook = deleteWebhook;
  }

  /**
   * @return completes once the handshake succeeded; retried by the loop when it fails
   */
  Uni<Void> run() {
    Uni<Void> me =
        api.getMe()
            .invoke(
                (User user) -> {
                  dispatcher.setBotUsername(user.getUserName());
                  authorized = true;
                  LOG.infof("authorized as @%s", user.getUserName());
                })
            .replaceWithVoid();
    if (deleteWebhook) {
      me = me.call(() -> api.deleteWebhook(false).invoke(() -> LOG.info("webhook deleted")));
    }
    return me.invoke(() -> done = true);
  }

  /**
   * @return whether the handshake succeeded
   */
  boolean done() {
    return done;
  }

  /**
   * @return whether getMe succeeded and the token was not rejected since
   */
  boolean authorized() {
    return authorized;
  }

  /** Telegram rejected the token after the handshake. */
  void rejected() {
    authorized = false;
  }
}
