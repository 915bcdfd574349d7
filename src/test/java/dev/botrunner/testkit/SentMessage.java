package dev.botrunner.testkit;

/**
 * A message the bot sent through {@code sendMessage} and the fake accepted.
 *
 * @param sequence order of arrival among accepted sendMessage calls, starting at 1; never reused,
 *     even after {@link FakeBotApi#reset()}
 * @param chatId the target chat
 * @param text the text as sent (entities and parse mode are left in {@link #call()})
 * @param messageId the id the fake gave the message; increases per chat like Telegram's
 * @param call the whole recorded request, for reply markup, parse mode and the like
 */
public record SentMessage(
    long sequence, long chatId, String text, int messageId, RecordedCall call) {}
