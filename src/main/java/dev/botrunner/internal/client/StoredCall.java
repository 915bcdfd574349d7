package dev.botrunner.internal.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.telegram.telegrambots.meta.api.methods.botapimethods.BotApiMethod;
import org.telegram.telegrambots.meta.exceptions.TelegramApiValidationException;

/**
 * A JSON Bot API call encoded to be sent later ({@link #of}, {@link TelegramClient#callStored}):
 * what a unit of work's outbox keeps.
 *
 * @param method the method's name, e.g. {@code sendMessage}
 * @param json its parameters, a JSON object
 */
public record StoredCall(String method, String json) {

  /**
   * Encodes a JSON method to be sent later by {@link TelegramClient#callStored} (the outbox of a
   * unit of work): validated now, so a bad call fails where it was made rather than after the
   * commit.
   *
   * @param method a telegrambots-meta method object
   * @return its name and its parameters as JSON
   * @throws IllegalArgumentException when the method is invalid or cannot be encoded
   */
  public static StoredCall of(BotApiMethod<?> method) {
    String name = TelegramClient.nameOf(method);
    try {
      method.validate();
      return new StoredCall(name, BotJson.MAPPER.writeValueAsString(method));
    } catch (TelegramApiValidationException e) {
      throw new IllegalArgumentException("invalid " + name + ": " + e.getMessage(), e);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode " + name + ": " + e.getMessage(), e);
    }
  }
}
