package dev.botrunner;

import io.smallrye.mutiny.Uni;
import java.io.ByteArrayInputStream;
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
 * The Bot API, as a bot calls it ({@code ctx.api()}): any method through {@link #call} (JSON) or
 * {@link #upload} (with files), and typed shortcuts for the methods bots call most, each one line
 * over those two. Calls are lazy {@code Uni}s: nothing is sent until one is subscribed to ({@link
 * BotContext#track} sends at once and makes the update wait for it). Retries on flood control and
 * network errors, the optional throttle and redaction of the token happen beneath this interface.
 */
public interface BotApi {

  /**
   * Calls any JSON Bot API method.
   *
   * @param method a telegrambots-meta method object; validated before it is sent
   * @param <T> the method's result type
   * @return the decoded result
   */
  <T extends Serializable> Uni<T> call(BotApiMethod<T> method);

  /**
   * Calls a method that may carry files, as {@code multipart/form-data}.
   *
   * @param method a telegrambots-meta method object; validated before it is sent
   * @param <T> the method's result type
   * @return the decoded result
   */
  <T extends Serializable> Uni<T> upload(PartialBotApiMethod<T> method);

  /**
   * @return the bot's own user; a 401 here means the token is wrong or revoked
   */
  default Uni<User> getMe() {
    return call(new GetMe());
  }

  /**
   * @param chatId target chat
   * @param text message text
   * @return the sent message
   */
  default Uni<Message> sendMessage(long chatId, String text) {
    return call(new SendMessage(Long.toString(chatId), text));
  }

  /**
   * @param message a fully built message (keyboards, parse mode, replies)
   * @return the sent message
   */
  default Uni<Message> sendMessage(SendMessage message) {
    return call(message);
  }

  /**
   * @param callbackQueryId the id of the query being answered
   * @param text optional notification text, may be null
   * @return true on success
   */
  default Uni<Boolean> answerCallbackQuery(String callbackQueryId, String text) {
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
  default Uni<Message> sendPhoto(long chatId, InputFile photo, String caption) {
    SendPhoto request = new SendPhoto(Long.toString(chatId), photo);
    request.setCaption(caption);
    return upload(request);
  }

  /**
   * @param photo a fully built photo message
   * @return the sent message
   */
  default Uni<Message> sendPhoto(SendPhoto photo) {
    return upload(photo);
  }

  /**
   * @param chatId target chat
   * @param document a new file or a file_id/URL
   * @param caption optional caption, may be null
   * @return the sent message
   */
  default Uni<Message> sendDocument(long chatId, InputFile document, String caption) {
    SendDocument request = new SendDocument(Long.toString(chatId), document);
    request.setCaption(caption);
    return upload(request);
  }

  /**
   * @param group 2 to 10 photos, videos, documents or audios
   * @return the sent messages
   */
  default Uni<List<Message>> sendMediaGroup(SendMediaGroup group) {
    return upload(group).map(ArrayList::new);
  }

  /**
   * @param dropPendingUpdates whether Telegram should discard updates queued for the webhook
   * @return true on success
   */
  default Uni<Boolean> deleteWebhook(boolean dropPendingUpdates) {
    DeleteWebhook request = new DeleteWebhook();
    request.setDropPendingUpdates(dropPendingUpdates);
    return call(request);
  }

  /**
   * @return the current webhook registration (Telegram never returns the secret token)
   */
  default Uni<WebhookInfo> getWebhookInfo() {
    return call(new GetWebhookInfo());
  }

  /**
   * An {@link InputFile} whose content is {@code bytes}, for {@link #upload} and the photo and
   * document shortcuts (Telegram shows {@code filename} for documents).
   *
   * @param bytes the file's content
   * @param filename the file's name, e.g. {@code photo.jpg}
   * @return a new InputFile to upload
   */
  static InputFile bytes(byte[] bytes, String filename) {
    return new InputFile(new ByteArrayInputStream(bytes), filename);
  }
}
