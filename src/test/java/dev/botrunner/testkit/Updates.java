package dev.botrunner.testkit;

import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Static builders for realistic {@link Update}s, sharing one {@code update_id} sequence that starts
 * at 1 for the whole JVM. Use {@link #sequence(int)} when a test needs to know or restart the ids.
 *
 * <pre>{@code
 * api.enqueue(Updates.command(42, 42, "start", null), Updates.text(42, 42, "hello"));
 * }</pre>
 *
 * @see UpdateFactory for the conventions about chats, users and message ids
 */
public final class Updates {

  private static final UpdateFactory SHARED = new UpdateFactory(1);

  private Updates() {}

  /**
   * Returns a new factory with its own id sequence.
   *
   * @param firstUpdateId the first {@code update_id} it hands out
   * @return a fresh factory
   */
  public static UpdateFactory sequence(int firstUpdateId) {
    return new UpdateFactory(firstUpdateId);
  }

  /**
   * A text message; see {@link UpdateFactory#text}.
   *
   * @param chatId the chat; equal to {@code userId} for a private chat
   * @param userId the sender
   * @param text the message text
   * @return an update with {@code message}
   */
  public static Update text(long chatId, long userId, String text) {
    return SHARED.text(chatId, userId, text);
  }

  /**
   * A command with its {@code bot_command} entity; see {@link UpdateFactory#command}.
   *
   * @param chatId the chat; equal to {@code userId} for a private chat
   * @param userId the sender
   * @param command the command, with or without {@code /}
   * @param args the text after the command, or {@code null}
   * @return an update with {@code message}
   */
  public static Update command(long chatId, long userId, String command, String args) {
    return SHARED.command(chatId, userId, command, args);
  }

  /**
   * An edited text message; see {@link UpdateFactory#editedText}.
   *
   * @param chatId the chat of the original message
   * @param userId the author
   * @param messageId the id of the edited message
   * @param newText the text after the edit
   * @return an update with {@code edited_message}
   */
  public static Update editedText(long chatId, long userId, int messageId, String newText) {
    return SHARED.editedText(chatId, userId, messageId, newText);
  }

  /**
   * An inline button press; see {@link UpdateFactory#callbackQuery}.
   *
   * @param chatId the chat of the message holding the button
   * @param userId the user who pressed
   * @param data the button's {@code callback_data}
   * @return an update with {@code callback_query}
   */
  public static Update callbackQuery(long chatId, long userId, String data) {
    return SHARED.callbackQuery(chatId, userId, data);
  }

  /**
   * An inline query; see {@link UpdateFactory#inlineQuery}.
   *
   * @param userId the user typing
   * @param query the query text
   * @return an update with {@code inline_query}
   */
  public static Update inlineQuery(long userId, String query) {
    return SHARED.inlineQuery(userId, query);
  }

  /**
   * A member's status change; see {@link UpdateFactory#chatMember}.
   *
   * @param chatId the chat
   * @param userId the member
   * @param oldStatus the status before
   * @param newStatus the status after
   * @return an update with {@code chat_member}
   */
  public static Update chatMember(long chatId, long userId, String oldStatus, String newStatus) {
    return SHARED.chatMember(chatId, userId, oldStatus, newStatus);
  }

  /**
   * A change of the bot's own status; see {@link UpdateFactory#myChatMember}.
   *
   * @param chatId the chat
   * @param byUserId the user who changed it
   * @param oldStatus the status before
   * @param newStatus the status after
   * @return an update with {@code my_chat_member}
   */
  public static Update myChatMember(
      long chatId, long byUserId, String oldStatus, String newStatus) {
    return SHARED.myChatMember(chatId, byUserId, oldStatus, newStatus);
  }

  /**
   * Writes an update as Telegram would send it (absent fields omitted).
   *
   * @param update any update
   * @return its JSON
   */
  public static String toJson(Update update) {
    return Json.write(update);
  }

  /**
   * Reads an update the way a tolerant client does, ignoring fields the library does not know.
   *
   * @param json the JSON of one update
   * @return the parsed update
   */
  public static Update fromJson(String json) {
    return Json.toUpdate(Json.parse(json));
  }
}
