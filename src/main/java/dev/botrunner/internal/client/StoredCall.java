package dev.botrunner.internal.client;

/**
 * A JSON Bot API call encoded to be sent later ({@link TelegramClient#store}, {@link
 * TelegramClient#callStored}): what a unit of work's outbox keeps.
 *
 * @param method the method's name, e.g. {@code sendMessage}
 * @param json its parameters, a JSON object
 */
public record StoredCall(String method, String json) {}
