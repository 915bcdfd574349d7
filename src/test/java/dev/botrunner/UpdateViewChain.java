package dev.botrunner;

import org.telegram.telegrambots.meta.api.objects.CallbackQuery;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.api.objects.chat.Chat;
import org.telegram.telegrambots.meta.api.objects.message.Message;

/**
 * UpdateView as it was before it read the update's kind from {@link UpdateKind}: a chain of {@code
 * getX() != null} checks, kept as the reference {@link UpdateViewTest} compares against.
 */
final class UpdateViewChain {

  private UpdateViewChain() {}

  static Message message(Update update) {
    if (update.getMessage() != null) {
      return update.getMessage();
    }
    if (update.getEditedMessage() != null) {
      return update.getEditedMessage();
    }
    if (update.getChannelPost() != null) {
      return update.getChannelPost();
    }
    if (update.getEditedChannelPost() != null) {
      return update.getEditedChannelPost();
    }
    if (update.getBusinessMessage() != null) {
      return update.getBusinessMessage();
    }
    return update.getEditedBuinessMessage();
  }

  /**
   * @param update any update
   * @return the chat the update belongs to, or null (inline queries, payments, polls)
   */
  static Chat chat(Update update) {
    Message message = message(update);
    if (message != null) {
      return message.getChat();
    }
    CallbackQuery query = update.getCallbackQuery();
    if (query != null) {
      return query.getMessage() != null ? query.getMessage().getChat() : null;
    }
    if (update.getMyChatMember() != null) {
      return update.getMyChatMember().getChat();
    }
    if (update.getChatMember() != null) {
      return update.getChatMember().getChat();
    }
    if (update.getChatJoinRequest() != null) {
      return update.getChatJoinRequest().getChat();
    }
    if (update.getMessageReaction() != null) {
      return update.getMessageReaction().getChat();
    }
    if (update.getMessageReactionCount() != null) {
      return update.getMessageReactionCount().getChat();
    }
    if (update.getChatBoost() != null) {
      return update.getChatBoost().getChat();
    }
    if (update.getRemovedChatBoost() != null) {
      return update.getRemovedChatBoost().getChat();
    }
    return update.getPollAnswer() != null ? update.getPollAnswer().getVoterChat() : null;
  }

  /**
   * @param update any update
   * @return the user who caused it, or null (channel posts, anonymous reactions, boosts)
   */
  static User from(Update update) {
    Message message = message(update);
    if (message != null) {
      return message.getFrom();
    }
    if (update.getCallbackQuery() != null) {
      return update.getCallbackQuery().getFrom();
    }
    if (update.getInlineQuery() != null) {
      return update.getInlineQuery().getFrom();
    }
    if (update.getChosenInlineQuery() != null) {
      return update.getChosenInlineQuery().getFrom();
    }
    if (update.getShippingQuery() != null) {
      return update.getShippingQuery().getFrom();
    }
    if (update.getPreCheckoutQuery() != null) {
      return update.getPreCheckoutQuery().getFrom();
    }
    if (update.getPollAnswer() != null) {
      return update.getPollAnswer().getUser();
    }
    if (update.getMyChatMember() != null) {
      return update.getMyChatMember().getFrom();
    }
    if (update.getChatMember() != null) {
      return update.getChatMember().getFrom();
    }
    if (update.getChatJoinRequest() != null) {
      return update.getChatJoinRequest().getUser();
    }
    return update.getMessageReaction() != null ? update.getMessageReaction().getUser() : null;
  }
}
