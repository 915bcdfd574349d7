package dev.botrunner.telegram;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.telegram.telegrambots.meta.api.methods.AnswerCallbackQuery;
import org.telegram.telegrambots.meta.api.methods.GetMe;
import org.telegram.telegrambots.meta.api.methods.botapimethods.BotApiMethod;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.methods.updates.DeleteWebhook;
import org.telegram.telegrambots.meta.api.methods.updates.GetUpdates;
import org.telegram.telegrambots.meta.api.methods.updates.GetWebhookInfo;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.api.objects.WebhookInfo;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiValidationException;

/**
 * Non-blocking Bot API client: one generic {@link #call} for every JSON method that
 * telegrambots-meta models, plus shortcuts for the common ones. Every result is a lazy {@link Uni}.
 * Failures are a {@link TelegramApiException} when Telegram answered {@code ok:false} and a {@link
 * TelegramTransportException} when no usable answer came; neither mentions the token.
 */
public final class TelegramClient {

  private final BotApiTransport transport;
  private final Duration timeout;
  private final RetryPolicy retries;

  /**
   * @param vertx the Vert.x instance whose event loops run the HTTP client
   * @param apiUrl base URL of the Bot API, e.g. {@code https://api.telegram.org}
   * @param token the bot token; kept only inside the request path
   * @param maxConnections connection pool size towards the Bot API
   * @param timeout timeout of a call (getUpdates adds its long-poll time to it)
   */
  public TelegramClient(
      Vertx vertx, String apiUrl, String token, int maxConnections, Duration timeout) {
    this(vertx, apiUrl, token, maxConnections, timeout, new RetryPolicy(0, Duration.ZERO));
  }

  /**
   * @param vertx the Vert.x instance whose event loops run the HTTP client
   * @param apiUrl base URL of the Bot API
   * @param token the bot token; kept only inside the request path
   * @param maxConnections connection pool size towards the Bot API
   * @param timeout timeout of a call (getUpdates adds its long-poll time to it)
   * @param retries how failed calls are retried (getUpdates excepted: its loop has its own policy)
   */
  public TelegramClient(
      Vertx vertx,
      String apiUrl,
      String token,
      int maxConnections,
      Duration timeout,
      RetryPolicy retries) {
    this.transport = new BotApiTransport(vertx, URI.create(apiUrl), token, maxConnections);
    this.timeout = timeout;
    this.retries = retries;
  }

  /**
   * @return the retry policy, for its counters
   */
  public RetryPolicy retries() {
    return retries;
  }

  /**
   * Calls any JSON Bot API method.
   *
   * @param method a telegrambots-meta method object; validated before it is sent
   * @param <T> the method's result type
   * @return the decoded result
   */
  public <T extends Serializable> Uni<T> call(BotApiMethod<T> method) {
    return retries.run(() -> call(method, timeout));
  }

  /**
   * telegrambots-meta names methods in lower case ({@code sendmessage}); Telegram accepts any case,
   * but logs and errors read better with the documented name, which is the class name.
   */
  static String nameOf(BotApiMethod<?> method) {
    String simple = method.getClass().getSimpleName();
    if (simple.isEmpty() || !simple.equalsIgnoreCase(method.getMethod())) {
      return method.getMethod();
    }
    return Character.toLowerCase(simple.charAt(0)) + simple.substring(1);
  }

  private <T extends Serializable> Uni<T> call(BotApiMethod<T> method, Duration callTimeout) {
    String name = nameOf(method);
    byte[] body;
    try {
      method.validate();
      body = BotJson.MAPPER.writeValueAsBytes(method);
    } catch (TelegramApiValidationException e) {
      return Uni.createFrom()
          .failure(new IllegalArgumentException("invalid " + name + ": " + e.getMessage()));
    } catch (JsonProcessingException e) {
      return Uni.createFrom()
          .failure(new IllegalArgumentException("cannot encode " + name + ": " + e.getMessage()));
    }
    return transport.post(name, body, callTimeout).map(answer -> decode(method, answer));
  }

  private <T extends Serializable> T decode(BotApiMethod<T> method, BotApiTransport.Answer answer) {
    String name = nameOf(method);
    String text = answer.body() == null ? "" : answer.body().toString();
    if (answer.status() == 200) {
      try {
        return method.deserializeResponse(text);
      } catch (TelegramApiRequestException e) {
        if (e.getErrorCode() == null) {
          throw new TelegramTransportException(name, "the answer is not a Bot API response");
        }
        // ok:false with HTTP 200 does not happen with Telegram, but a proxy or a local Bot API
        // server might do it; the error fields are in the body either way.
      }
    }
    throw errorFrom(name, answer.status(), text);
  }

  private RuntimeException errorFrom(String method, int status, String text) {
    JsonNode root;
    try {
      root = BotJson.MAPPER.readTree(text);
    } catch (IOException e) {
      root = null;
    }
    if (root == null || !root.has("ok")) {
      return new TelegramTransportException(
          method, "HTTP " + status + " with a body that is not a Bot API response");
    }
    JsonNode parameters = root.path("parameters");
    return new TelegramApiException(
        method,
        root.path("error_code").asInt(status),
        transport.redactor().redact(root.path("description").asText("")),
        parameters.has("retry_after") ? parameters.get("retry_after").asInt() : null,
        parameters.has("migrate_to_chat_id")
            ? parameters.get("migrate_to_chat_id").asLong()
            : null);
  }

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
   * Long-polls for updates; the HTTP timeout is the poll time plus the normal call timeout.
   *
   * @param offset first update id wanted (confirms all below it), or null
   * @param limit 1 to 100
   * @param pollSeconds how long Telegram may hold the request when no update is pending
   * @param allowedUpdates update types wanted, or null for Telegram's default
   * @return the updates, possibly none
   */
  public Uni<List<Update>> getUpdates(
      Integer offset, int limit, int pollSeconds, List<String> allowedUpdates) {
    GetUpdates request = new GetUpdates(offset, limit, pollSeconds, allowedUpdates);
    return call(request, timeout.plusSeconds(pollSeconds)).map(list -> list);
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

  /** Releases the HTTP connections. */
  public void close() {
    transport.close();
  }
}
