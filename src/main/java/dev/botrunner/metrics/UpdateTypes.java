package dev.botrunner.metrics;

import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * The Bot API name of an update's kind ({@code message}, {@code edited_message}, {@code
 * callback_query}, ...), for metric tags: a chain of null checks, no reflection, no allocation.
 */
public final class UpdateTypes {

  /** Tag value of an update of a kind this version does not know. */
  public static final String OTHER = "other";

  private UpdateTypes() {}

  /**
   * @param update any update
   * @return its kind as Telegram names the field, or {@link #OTHER}
   */
  public static String of(Update update) {
    if (update.getMessage() != null) {
      return "message";
    }
    if (update.getEditedMessage() != null) {
      return "edited_message";
    }
    if (update.getCallbackQuery() != null) {
      return "callback_query";
    }
    if (update.getInlineQuery() != null) {
      return "inline_query";
    }
    if (update.getChosenInlineQuery() != null) {
      return "chosen_inline_result";
    }
    if (update.getChannelPost() != null) {
      return "channel_post";
    }
    if (update.getEditedChannelPost() != null) {
      return "edited_channel_post";
    }
    if (update.getBusinessMessage() != null) {
      return "business_message";
    }
    if (update.getEditedBuinessMessage() != null) {
      return "edited_business_message";
    }
    if (update.getMyChatMember() != null) {
      return "my_chat_member";
    }
    if (update.getChatMember() != null) {
      return "chat_member";
    }
    if (update.getChatJoinRequest() != null) {
      return "chat_join_request";
    }
    if (update.getMessageReaction() != null) {
      return "message_reaction";
    }
    if (update.getMessageReactionCount() != null) {
      return "message_reaction_count";
    }
    if (update.getShippingQuery() != null) {
      return "shipping_query";
    }
    if (update.getPreCheckoutQuery() != null) {
      return "pre_checkout_query";
    }
    if (update.getPoll() != null) {
      return "poll";
    }
    if (update.getPollAnswer() != null) {
      return "poll_answer";
    }
    if (update.getChatBoost() != null) {
      return "chat_boost";
    }
    if (update.getRemovedChatBoost() != null) {
      return "removed_chat_boost";
    }
    return OTHER;
  }
}
