package dev.botrunner;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.message.Message;

/**
 * grammY-style filter queries such as {@code "message"}, {@code "message:text"}, {@code ":photo"}
 * (any message kind) or {@code "callback_query:data"}, compiled once into a predicate. An unknown
 * part is rejected when the bot is configured, not silently never matched.
 */
final class FilterQuery {

  private static final Map<String, Function<Update, Object>> KINDS = new TreeMap<>();
  private static final Map<String, Function<Message, Object>> MESSAGE_FIELDS = new TreeMap<>();

  static {
    for (UpdateKind kind : UpdateKind.byFieldName().values()) {
      KINDS.put(kind.fieldName(), kind::field);
    }
    // Any kind that carries a message, as grammY's "msg".
    KINDS.put("msg", UpdateView::message);

    MESSAGE_FIELDS.put("text", Message::getText);
    MESSAGE_FIELDS.put("caption", Message::getCaption);
    MESSAGE_FIELDS.put("entities", Message::getEntities);
    MESSAGE_FIELDS.put("photo", Message::getPhoto);
    MESSAGE_FIELDS.put("document", Message::getDocument);
    MESSAGE_FIELDS.put("audio", Message::getAudio);
    MESSAGE_FIELDS.put("video", Message::getVideo);
    MESSAGE_FIELDS.put("voice", Message::getVoice);
    MESSAGE_FIELDS.put("video_note", Message::getVideoNote);
    MESSAGE_FIELDS.put("animation", Message::getAnimation);
    MESSAGE_FIELDS.put("sticker", Message::getSticker);
    MESSAGE_FIELDS.put("contact", Message::getContact);
    MESSAGE_FIELDS.put("location", Message::getLocation);
    MESSAGE_FIELDS.put("venue", Message::getVenue);
    MESSAGE_FIELDS.put("poll", Message::getPoll);
    MESSAGE_FIELDS.put("dice", Message::getDice);
    MESSAGE_FIELDS.put("reply_to_message", Message::getReplyToMessage);
    MESSAGE_FIELDS.put("new_chat_members", Message::getNewChatMembers);
    MESSAGE_FIELDS.put("left_chat_member", Message::getLeftChatMember);
    MESSAGE_FIELDS.put("successful_payment", Message::getSuccessfulPayment);
  }

  private FilterQuery() {}

  /**
   * @param query {@code kind}, {@code kind:field} or {@code :field} (field of any message kind)
   * @return a predicate over updates
   * @throws IllegalArgumentException naming the known kinds or fields
   */
  public static Predicate<Update> compile(String query) {
    String[] parts = query.trim().split(":", -1);
    if (parts.length > 2) {
      throw new IllegalArgumentException(
          "filter query '" + query + "' has more than two parts; use kind or kind:field");
    }
    String kindName = parts[0].isEmpty() ? "msg" : parts[0];
    Function<Update, Object> kind = KINDS.get(kindName);
    if (kind == null) {
      throw new IllegalArgumentException(
          "unknown update kind '"
              + kindName
              + "' in filter query '"
              + query
              + "'; known: "
              + KINDS.keySet());
    }
    if (parts.length == 1) {
      return update -> kind.apply(update) != null;
    }
    String field = parts[1];
    if ("callback_query".equals(kindName)) {
      return callbackField(query, field);
    }
    Function<Message, Object> getter = MESSAGE_FIELDS.get(field);
    if (getter == null || !isMessageKind(kindName)) {
      throw new IllegalArgumentException(
          "unknown field '"
              + field
              + "' in filter query '"
              + query
              + "'; message kinds know "
              + MESSAGE_FIELDS.keySet()
              + ", callback_query knows [data, game_short_name]");
    }
    return update -> {
      Object payload = kind.apply(update);
      return payload instanceof Message message && present(getter.apply(message));
    };
  }

  private static Predicate<Update> callbackField(String query, String field) {
    return switch (field) {
      case "data" -> u -> u.getCallbackQuery() != null && u.getCallbackQuery().getData() != null;
      case "game_short_name" ->
          u -> u.getCallbackQuery() != null && u.getCallbackQuery().getGameShortName() != null;
      default ->
          throw new IllegalArgumentException(
              "unknown field '"
                  + field
                  + "' in filter query '"
                  + query
                  + "'; callback_query knows [data, game_short_name]");
    };
  }

  private static boolean isMessageKind(String kind) {
    return kind.equals("msg") || kind.endsWith("message") || kind.endsWith("channel_post");
  }

  private static boolean present(Object value) {
    return value != null && !(value instanceof java.util.Collection<?> c && c.isEmpty());
  }
}
