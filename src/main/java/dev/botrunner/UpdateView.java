package dev.botrunner;

import org.telegram.telegrambots.meta.api.objects.CallbackQuery;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.api.objects.chat.Chat;
import org.telegram.telegrambots.meta.api.objects.message.Message;

/**
 * Reads the chat, the sender and the message of any kind of update, the way grammY's {@code
 * ctx.chat}, {@code ctx.from} and {@code ctx.msg} do. Session keys and scheduling keys are derived
 * from here. The update's {@link UpdateKind} is found once per call, and an exhaustive switch on it
 * says where each kind keeps its chat and sender: a kind added to {@link UpdateKind} does not
 * compile until it is placed here.
 */
final class UpdateView {

  private UpdateView() {}

  /**
   * @param update any update
   * @return the message it carries (new or edited, in a chat, channel or business chat), or null
   */
  public static Message message(Update update) {
    return message(UpdateKind.kindOf(update), update);
  }

  /**
   * @param update any update
   * @return the chat the update belongs to, or null (inline queries, payments, polls)
   */
  public static Chat chat(Update update) {
    UpdateKind kind = UpdateKind.kindOf(update);
    if (kind == null) {
      return null;
    }
    return switch (kind) {
      case MESSAGE,
          EDITED_MESSAGE,
          CHANNEL_POST,
          EDITED_CHANNEL_POST,
          BUSINESS_MESSAGE,
          EDITED_BUSINESS_MESSAGE ->
          message(kind, update).getChat();
      case CALLBACK_QUERY -> {
        CallbackQuery query = update.getCallbackQuery();
        yield query.getMessage() != null ? query.getMessage().getChat() : null;
      }
      case MY_CHAT_MEMBER -> update.getMyChatMember().getChat();
      case CHAT_MEMBER -> update.getChatMember().getChat();
      case CHAT_JOIN_REQUEST -> update.getChatJoinRequest().getChat();
      case MESSAGE_REACTION -> update.getMessageReaction().getChat();
      case MESSAGE_REACTION_COUNT -> update.getMessageReactionCount().getChat();
      case CHAT_BOOST -> update.getChatBoost().getChat();
      case REMOVED_CHAT_BOOST -> update.getRemovedChatBoost().getChat();
      case POLL_ANSWER -> update.getPollAnswer().getVoterChat();
      case INLINE_QUERY, CHOSEN_INLINE_RESULT, SHIPPING_QUERY, PRE_CHECKOUT_QUERY, POLL -> null;
    };
  }

  /**
   * @param update any update
   * @return the user who caused it, or null (channel posts, anonymous reactions, boosts)
   */
  public static User from(Update update) {
    UpdateKind kind = UpdateKind.kindOf(update);
    if (kind == null) {
      return null;
    }
    return switch (kind) {
      case MESSAGE,
          EDITED_MESSAGE,
          CHANNEL_POST,
          EDITED_CHANNEL_POST,
          BUSINESS_MESSAGE,
          EDITED_BUSINESS_MESSAGE ->
          message(kind, update).getFrom();
      case CALLBACK_QUERY -> update.getCallbackQuery().getFrom();
      case INLINE_QUERY -> update.getInlineQuery().getFrom();
      case CHOSEN_INLINE_RESULT -> update.getChosenInlineQuery().getFrom();
      case SHIPPING_QUERY -> update.getShippingQuery().getFrom();
      case PRE_CHECKOUT_QUERY -> update.getPreCheckoutQuery().getFrom();
      case POLL_ANSWER -> update.getPollAnswer().getUser();
      case MY_CHAT_MEMBER -> update.getMyChatMember().getFrom();
      case CHAT_MEMBER -> update.getChatMember().getFrom();
      case CHAT_JOIN_REQUEST -> update.getChatJoinRequest().getUser();
      case MESSAGE_REACTION -> update.getMessageReaction().getUser();
      case MESSAGE_REACTION_COUNT, CHAT_BOOST, REMOVED_CHAT_BOOST, POLL -> null;
    };
  }

  /** The message of a message kind; null for every other kind. */
  private static Message message(UpdateKind kind, Update update) {
    return kind != null && kind.carriesMessage() ? (Message) kind.field(update) : null;
  }
}
