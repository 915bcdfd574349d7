package dev.botrunner;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * The kinds of update botrunner knows, each by the name of its field in Telegram's {@code Update}
 * and the accessor of that field: the one list that metric tags ({@code UpdateTypes}) and filter
 * queries ({@code FilterQuery}) are made from. An update carries exactly one of these fields.
 */
public enum UpdateKind {
  /** A new message. */
  MESSAGE("message", Update::getMessage, true),
  /** An edited message. */
  EDITED_MESSAGE("edited_message", Update::getEditedMessage, true),
  /** A button press. */
  CALLBACK_QUERY("callback_query", Update::getCallbackQuery),
  /** An inline query. */
  INLINE_QUERY("inline_query", Update::getInlineQuery),
  /** An inline result the user chose. */
  CHOSEN_INLINE_RESULT("chosen_inline_result", Update::getChosenInlineQuery),
  /** A channel post. */
  CHANNEL_POST("channel_post", Update::getChannelPost, true),
  /** An edited channel post. */
  EDITED_CHANNEL_POST("edited_channel_post", Update::getEditedChannelPost, true),
  /** A message of a connected business account. */
  BUSINESS_MESSAGE("business_message", Update::getBusinessMessage, true),
  /** An edited message of a connected business account. */
  EDITED_BUSINESS_MESSAGE("edited_business_message", Update::getEditedBuinessMessage, true),
  /** The bot's own membership changed. */
  MY_CHAT_MEMBER("my_chat_member", Update::getMyChatMember),
  /** A member's status changed. */
  CHAT_MEMBER("chat_member", Update::getChatMember),
  /** A request to join a chat. */
  CHAT_JOIN_REQUEST("chat_join_request", Update::getChatJoinRequest),
  /** A reaction changed. */
  MESSAGE_REACTION("message_reaction", Update::getMessageReaction),
  /** Anonymous reaction counts changed. */
  MESSAGE_REACTION_COUNT("message_reaction_count", Update::getMessageReactionCount),
  /** A shipping query (payments). */
  SHIPPING_QUERY("shipping_query", Update::getShippingQuery),
  /** A pre-checkout query (payments). */
  PRE_CHECKOUT_QUERY("pre_checkout_query", Update::getPreCheckoutQuery),
  /** A poll's new state. */
  POLL("poll", Update::getPoll),
  /** A user's poll answer. */
  POLL_ANSWER("poll_answer", Update::getPollAnswer),
  /** A chat boost. */
  CHAT_BOOST("chat_boost", Update::getChatBoost),
  /** A removed chat boost. */
  REMOVED_CHAT_BOOST("removed_chat_boost", Update::getRemovedChatBoost);

  /** values() copies its array on every call; the per-update lookup reads this one. */
  private static final UpdateKind[] ALL = values();

  private static final Map<String, UpdateKind> BY_NAME = new TreeMap<>();

  static {
    for (UpdateKind kind : ALL) {
      BY_NAME.put(kind.fieldName, kind);
    }
  }

  private final String fieldName;
  private final Function<Update, Object> field;
  private final boolean message;

  UpdateKind(String fieldName, Function<Update, Object> field) {
    this(fieldName, field, false);
  }

  UpdateKind(String fieldName, Function<Update, Object> field, boolean message) {
    this.fieldName = fieldName;
    this.field = field;
    this.message = message;
  }

  /** Whether this kind's field is a {@code Message} (what {@code ctx.message()} returns). */
  boolean carriesMessage() {
    return message;
  }

  /**
   * @return the field's name in Telegram's {@code Update}, e.g. {@code edited_message}
   */
  public String fieldName() {
    return fieldName;
  }

  /**
   * @param update any update
   * @return this kind's field of it, or null when the update is of another kind
   */
  public Object field(Update update) {
    return field.apply(update);
  }

  /**
   * @param update any update
   * @return its kind, or null for a kind this version does not know
   */
  public static UpdateKind kindOf(Update update) {
    for (UpdateKind kind : ALL) {
      if (kind.field.apply(update) != null) {
        return kind;
      }
    }
    return null;
  }

  /**
   * @return every kind by its field name, in name order
   */
  public static Map<String, UpdateKind> byFieldName() {
    return Collections.unmodifiableMap(BY_NAME);
  }
}
