package dev.botrunner.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Builds realistic {@link Update}s with its own {@code update_id} sequence, so a test controls the
 * ids it will confirm. {@link Updates} offers the same builders on a shared sequence.
 *
 * <p>Chats follow Telegram's conventions: a chat whose id equals the user's is the private chat
 * with that user; any other is a {@code group}, or a {@code supergroup} for ids of the form {@code
 * -100...}. Message ids increase per chat. Users are {@code {id, is_bot:false,
 * first_name:"User<id>"}}.
 *
 * <p>Thread-safe.
 */
public final class UpdateFactory {

  private final AtomicInteger nextUpdateId;
  private final AtomicLong nextQueryId = new AtomicLong(4_000_000_000_000_000_000L);
  private final Map<Long, AtomicInteger> lastMessageId = new ConcurrentHashMap<>();

  /**
   * Creates a factory whose first update gets {@code firstUpdateId}.
   *
   * @param firstUpdateId the first {@code update_id} handed out
   */
  public UpdateFactory(int firstUpdateId) {
    this.nextUpdateId = new AtomicInteger(firstUpdateId);
  }

  /**
   * Returns the {@code update_id} the next built update will get, without using it.
   *
   * @return the next update id
   */
  public int peekNextUpdateId() {
    return nextUpdateId.get();
  }

  /**
   * A text message from {@code userId} in {@code chatId}.
   *
   * @param chatId the chat; equal to {@code userId} for a private chat
   * @param userId the sender
   * @param text the message text
   * @return an update with {@code message}
   */
  public Update text(long chatId, long userId, String text) {
    return update("message", message(chatId, userId, user(userId), text));
  }

  /**
   * Text messages {@code m0, m1, ...} spread round-robin over {@code chats} private chats with ids
   * {@code firstChat, firstChat + 1, ...} (the user id is the chat id), as a busy bot receives
   * them.
   *
   * @param count how many
   * @param firstChat the first chat id
   * @param chats how many chats
   * @return the updates, in update_id order
   */
  public List<Update> textsOverChats(int count, long firstChat, int chats) {
    List<Update> updates = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long chat = firstChat + i % chats;
      updates.add(text(chat, chat, "m" + i));
    }
    return updates;
  }

  /**
   * A command message, {@code /command args}, with the {@code bot_command} entity Telegram adds.
   *
   * @param chatId the chat; equal to {@code userId} for a private chat
   * @param userId the sender
   * @param command the command, with or without the leading {@code /}, possibly with {@code
   *     @botname}
   * @param args the text after the command, or {@code null} / empty for none
   * @return an update with {@code message}
   */
  public Update command(long chatId, long userId, String command, String args) {
    String cmd = command.startsWith("/") ? command : "/" + command;
    String text = args == null || args.isEmpty() ? cmd : cmd + " " + args;
    ObjectNode message = message(chatId, userId, user(userId), text);
    // Entity offsets and lengths are in UTF-16 code units, which is what String.length() counts.
    message
        .putArray("entities")
        .addObject()
        .put("type", "bot_command")
        .put("offset", 0)
        .put("length", cmd.length());
    return update("message", message);
  }

  /**
   * An edit of an earlier text message to {@code newText}.
   *
   * @param chatId the chat of the original message
   * @param userId the author, who is the one editing
   * @param messageId the id of the edited message
   * @param newText the text after the edit
   * @return an update with {@code edited_message}
   */
  public Update editedText(long chatId, long userId, int messageId, String newText) {
    ObjectNode message = message(chatId, userId, user(userId), newText);
    message.put("message_id", messageId);
    message.put("edit_date", message.get("date").asLong());
    return update("edited_message", message);
  }

  /**
   * A press of an inline button carrying {@code data}, on a message the bot sent in {@code chatId}.
   *
   * @param chatId the chat of the message holding the button
   * @param userId the user who pressed
   * @param data the button's {@code callback_data}
   * @return an update with {@code callback_query}
   */
  public Update callbackQuery(long chatId, long userId, String data) {
    ObjectNode botMessage = message(chatId, userId, BotMethods.botUser(false), "Choose:");
    ObjectNode query = Json.object().put("id", Long.toString(nextQueryId.incrementAndGet()));
    query.set("from", user(userId));
    query.set("message", botMessage);
    // chat_instance is opaque but stable per chat; derive it so equal chats get equal values.
    query
        .put("chat_instance", Long.toString(chatId * 31 + 7_000_000_000_000_000L))
        .put("data", data);
    return update("callback_query", query);
  }

  /**
   * An inline query, typed as {@code @bot query} in any chat; it carries no chat.
   *
   * @param userId the user typing
   * @param query the text after the bot's username
   * @return an update with {@code inline_query}
   */
  public Update inlineQuery(long userId, String query) {
    ObjectNode inline = Json.object().put("id", Long.toString(nextQueryId.incrementAndGet()));
    inline.set("from", user(userId));
    inline.put("query", query).put("offset", "").put("chat_type", "sender");
    return update("inline_query", inline);
  }

  /**
   * A change of a member's status in a chat, as sent to bots that are administrators there.
   *
   * @param chatId the group or supergroup
   * @param userId the member whose status changed (also the one acting, as on a join or leave)
   * @param oldStatus e.g. {@code "left"}, {@code "member"}, {@code "kicked"}
   * @param newStatus e.g. {@code "member"}, {@code "left"}, {@code "kicked"}
   * @return an update with {@code chat_member}
   */
  public Update chatMember(long chatId, long userId, String oldStatus, String newStatus) {
    return update(
        "chat_member", memberChange(chatId, user(userId), user(userId), oldStatus, newStatus));
  }

  /**
   * A change of the bot's own status in a chat, e.g. being added to a group.
   *
   * @param chatId the chat
   * @param byUserId the user who changed the bot's status
   * @param oldStatus e.g. {@code "left"}
   * @param newStatus e.g. {@code "member"} or {@code "kicked"} (blocked, in a private chat)
   * @return an update with {@code my_chat_member}
   */
  public Update myChatMember(long chatId, long byUserId, String oldStatus, String newStatus) {
    ObjectNode bot = BotMethods.botUser(false);
    return update(
        "my_chat_member", memberChange(chatId, user(byUserId), bot, oldStatus, newStatus));
  }

  private ObjectNode memberChange(
      long chatId, ObjectNode from, ObjectNode member, String oldStatus, String newStatus) {
    ObjectNode change = Json.object();
    change.set("chat", BotMethods.chat(chatId));
    change.set("from", from);
    change.put("date", Instant.now().getEpochSecond());
    change.set("old_chat_member", member(member, oldStatus));
    change.set("new_chat_member", member(member, newStatus));
    return change;
  }

  private static ObjectNode member(ObjectNode user, String status) {
    ObjectNode member = Json.object().put("status", status);
    member.set("user", user.deepCopy());
    if ("kicked".equals(status)) {
      member.put("until_date", 0);
    }
    return member;
  }

  /** {@code userId} is the human in the chat, which decides whether the chat is private. */
  private ObjectNode message(long chatId, long userId, ObjectNode from, String text) {
    int messageId =
        lastMessageId.computeIfAbsent(chatId, k -> new AtomicInteger()).incrementAndGet();
    ObjectNode message = Json.object().put("message_id", messageId);
    message.set("from", from);
    message.set("chat", chat(chatId, userId));
    return message.put("date", Instant.now().getEpochSecond()).put("text", text);
  }

  private static ObjectNode chat(long chatId, long userId) {
    if (chatId == userId) {
      return BotMethods.chat(chatId).put("type", "private");
    }
    ObjectNode chat = BotMethods.chat(chatId);
    if ("private".equals(chat.get("type").asText())) {
      // A positive id that is not the sender's: still a group, as documented above.
      chat.remove("first_name");
      chat.put("type", "group").put("title", "Chat " + chatId);
    }
    return chat;
  }

  private static ObjectNode user(long userId) {
    return Json.object().put("id", userId).put("is_bot", false).put("first_name", "User" + userId);
  }

  private Update update(String kind, ObjectNode payload) {
    ObjectNode update = Json.object().put("update_id", nextUpdateId.getAndIncrement());
    update.set(kind, payload);
    return Json.toUpdate(update);
  }
}
