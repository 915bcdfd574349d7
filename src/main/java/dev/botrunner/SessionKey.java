package dev.botrunner;

import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.api.objects.chat.Chat;

/**
 * The default session key: the chat id, else the user id, else none. The scheduler's default key
 * function is this same definition, so ordering protects exactly the data sessions share.
 */
public final class SessionKey {

  private SessionKey() {}

  /**
   * @param update any update
   * @return the chat id as text, else the user id, else null (the update has no session)
   */
  public static String of(Update update) {
    Chat chat = UpdateView.chat(update);
    if (chat != null && chat.getId() != null) {
      return chat.getId().toString();
    }
    User from = UpdateView.from(update);
    return from != null && from.getId() != null ? from.getId().toString() : null;
  }
}
