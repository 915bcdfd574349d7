package dev.botrunner.internal.client;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.telegram.telegrambots.meta.api.methods.botapimethods.BotApiMethod;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiValidationException;

/**
 * {@code setWebhook} as a plain JSON method. telegrambots-meta models it as a multipart method
 * (because of the optional self-signed certificate), which the JSON client cannot send; without a
 * certificate Telegram accepts the same fields as JSON.
 */
public final class SetWebhookJson extends BotApiMethod<Boolean> {

  private static final long serialVersionUID = 1L;

  private final String url;
  private final String secretToken;
  private final List<String> allowedUpdates;
  private final Integer maxConnections;

  /**
   * @param url the HTTPS URL Telegram posts to
   * @param secretToken sent back in {@code X-Telegram-Bot-Api-Secret-Token}, or null
   * @param allowedUpdates update types, or null to keep Telegram's default
   * @param maxConnections 1 to 100, or null for Telegram's default (40)
   */
  public SetWebhookJson(
      String url, String secretToken, List<String> allowedUpdates, Integer maxConnections) {
    this.url = url;
    this.secretToken = secretToken;
    this.allowedUpdates = allowedUpdates;
    this.maxConnections = maxConnections;
  }

  @JsonProperty("url")
  public String getUrl() {
    return url;
  }

  @JsonProperty("secret_token")
  public String getSecretToken() {
    return secretToken;
  }

  @JsonProperty("allowed_updates")
  public List<String> getAllowedUpdates() {
    return allowedUpdates;
  }

  @JsonProperty("max_connections")
  public Integer getMaxConnections() {
    return maxConnections;
  }

  @Override
  public String getMethod() {
    return "setWebhook";
  }

  @Override
  public Boolean deserializeResponse(String answer) throws TelegramApiRequestException {
    return deserializeResponse(answer, Boolean.class);
  }

  @Override
  public void validate() throws TelegramApiValidationException {
    if (url == null || url.isEmpty()) {
      throw new TelegramApiValidationException("URL can't be empty", this);
    }
  }

  @Override
  public String toString() {
    // Never print the secret.
    return "SetWebhookJson[url=" + url + ", maxConnections=" + maxConnections + "]";
  }
}
