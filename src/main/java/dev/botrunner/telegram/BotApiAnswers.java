package dev.botrunner.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Serializable;
import org.telegram.telegrambots.meta.api.methods.botapimethods.PartialBotApiMethod;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;

/**
 * Turns a Bot API answer into a result or into the right exception: {@link TelegramApiException}
 * for {@code ok:false}, {@link TelegramTransportException} for a body that is not a Bot API answer.
 */
final class BotApiAnswers {

  private BotApiAnswers() {}

  /** Decodes a successful answer's body. */
  @FunctionalInterface
  interface Decoder<T> {
    T decode(String body) throws TelegramApiRequestException;
  }

  static <T extends Serializable> Decoder<T> decoderOf(PartialBotApiMethod<T> method) {
    return method::deserializeResponse;
  }

  static <T> T decode(
      ApiRequest<T> request, BotApiTransport.Answer answer, TokenRedactor redactor) {
    String name = request.method();
    String text = answer.body() == null ? "" : answer.body().toString();
    if (answer.status() == 200) {
      try {
        return request.decoder().decode(text);
      } catch (TelegramApiRequestException e) {
        if (e.getErrorCode() == null) {
          throw new TelegramTransportException(name, "the answer is not a Bot API response");
        }
        // ok:false with HTTP 200 does not happen with Telegram, but a proxy or a local Bot API
        // server might do it; the error fields are in the body either way.
      }
    }
    throw errorFrom(name, answer.status(), text, redactor);
  }

  private static RuntimeException errorFrom(
      String method, int status, String text, TokenRedactor redactor) {
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
        redactor.redact(root.path("description").asText("")),
        parameters.has("retry_after") ? parameters.get("retry_after").asInt() : null,
        parameters.has("migrate_to_chat_id")
            ? parameters.get("migrate_to_chat_id").asLong()
            : null);
  }
}
