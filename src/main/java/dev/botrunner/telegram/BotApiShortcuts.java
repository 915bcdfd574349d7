package dev.botrunner.telegram;

import io.smallrye.mutiny.Uni;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.telegram.telegrambots.meta.api.methods.AnswerCallbackQuery;
import org.telegram.telegrambots.meta.api.methods.GetMe;
import org.telegram.telegrambots.meta.api.methods.botapimethods.BotApiMethod;
import org.telegram.telegrambots.meta.api.methods.botapimethods.PartialBotApiMethod;
import org.telegram.telegrambots.meta.api.methods.send.SendDocument;
import org.telegram.telegrambots.meta.api.methods.send.SendMediaGroup;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.methods.send.SendPhoto;
import org.telegram.telegrambots.meta.api.methods.updates.DeleteWebhook;
import org.telegram.telegrambots.meta.api.methods.updates.GetWebhookInfo;
import org.telegram.telegrambots.meta.api.objects.InputFile;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.api.objects.WebhookInfo;
import org.telegram.telegrambots.meta.api.objects.message.Message;

/**
 * Typed shortcuts for the Bot API methods bots call most, each one line over the generic {@link
 * #call} or {@link #upload}. Kept apart from {@link TelegramClient}, which owns how a call is made
 * (retries, throttle, transport), so that adding a shortcut never touches that path.
 */
public abstract sealed class BotApiShortcuts permits TelegramClient {

  BotApiShortcuts() {}

  /**
   * Calls any JSON Bot API method.
   *
   * @param method a telegrambots-meta method object; validated before it is sent
   * @param <T> the method's result type
   * @return the decoded result
   */
  public abstract <T extends Serializable> Uni<T> call(BotApiMethod<T> method);

  /**
   * Calls a method that may carry files, as {@code multipart/form-data}.
   *
   * @param method a telegrambots-meta method object; validated before it is sent
   * @param <T> the method's result type
   * @return the decoded result
   */
  public abstract <T extends Serializable> Uni<T> upload(PartialBotApiMethod<T> method);

  /**
   * @return the bot's own user; a 401 here means the token is wrong or revoked
   */
  public Uni<User> getMe() {
    return call(new GetMe());
  }

  /**
   * @param chatId target chat
   * @param text message text
   * @return the sent message
   */
  public Uni<Message> sendMessage(long chatId, String text) {
    return call(new SendMessage(Long.toString(chatId), text));
  }

  /**
   * @param message a fully built message (keyboards, parse mode, replies)
   * @return the sent message
   */
  public Uni<Message> sendMessage(SendMessage message) {
    return call(message);
  }

  /**
   * @param callbackQueryId the id of the query being answered
   * @param text optional notification text, may be null
   * @return true on success
   */
  public Uni<Boolean> answerCallbackQuery(String callbackQueryId, String text) {
    AnswerCallbackQuery answer = new AnswerCallbackQuery(callbackQueryId);
    answer.setText(text);
    return call(answer);
  }

  /**
   * @param chatId target chat
   * @param photo a new file ({@link TelegramClient#bytes}, a {@link java.io.File}, a stream) or a
   *     file_id/URL
   * @param caption optional caption, may be null
   * @return the sent message
   */
  public Uni<Message> sendPhoto(long chatId, InputFile photo, String caption) {
    SendPhoto request = new SendPhoto(Long.toString(chatId), photo);
    request.setCaption(caption);
    return upload(request);
  }

  /**
   * @param photo a fully built photo message
   * @return the sent message
   */
  public Uni<Message> sendPhoto(SendPhoto photo) {
    return upload(photo);
  }

  /**
   * @param chatId target chat
   * @param document a new file or a file_id/URL
   * @param caption optional caption, may be null
   * @return the sent message
   */
  public Uni<Message> sendDocument(long chatId, InputFile document, String caption) {
    SendDocument request = new SendDocument(Long.toString(chatId), document);
    request.setCaption(caption);
    return upload(request);
  }

  /**
   * @param group 2 to 10 photos, videos, documents or audios
   * @return the sent messages
   */
  public Uni<List<Message>> sendMediaGroup(SendMediaGroup group) {
    return upload(group).map(ArrayList::new);
  }

  /**
   * @param dropPendingUpdates whether Telegram should discard updates queued for the webhook
   * @return true on success
   */
  public Uni<Boolean> deleteWebhook(boolean dropPendingUpdates) {
    DeleteWebhook request = new DeleteWebhook();
    request.setDropPendingUpdates(dropPendingUpdates);
    return call(request);
  }

  /**
   * @return the current webhook registration (Telegram never returns the secret token)
   */
  public Uni<WebhookInfo> getWebhookInfo() {
    return call(new GetWebhookInfo());
  }

  /**
   * Registers the webhook (JSON form, no certificate upload).
   *
   * @param url the HTTPS URL Telegram posts to
   * @param secretToken sent back in {@code X-Telegram-Bot-Api-Secret-Token}, or null
   * @param allowedUpdates update types, or null for Telegram's default
   * @param maxConnections 1 to 100, or null for Telegram's default
   * @return true on success
   */
  public Uni<Boolean> setWebhook(
      String url, String secretToken, List<String> allowedUpdates, Integer maxConnections) {
    return call(new SetWebhookJson(url, secretToken, allowedUpdates, maxConnections));
  }
}
