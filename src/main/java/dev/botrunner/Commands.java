package dev.botrunner;

import org.telegram.telegrambots.meta.api.objects.MessageEntity;
import org.telegram.telegrambots.meta.api.objects.message.Message;

/** Recognises {@code /command}, {@code /command@botname} and their arguments in a message. */
final class Commands {

  private Commands() {}

  /**
   * @return the command's arguments (possibly empty) when the message is that command addressed to
   *     this bot (or to no bot in particular), else null
   */
  static String arguments(Message message, String command, String botUsername) {
    if (message == null || message.getText() == null) {
      return null;
    }
    String text = message.getText();
    if (!text.startsWith("/") || !startsWithCommandEntity(message)) {
      return null;
    }
    int end = 1;
    while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
      end++;
    }
    String head = text.substring(1, end);
    int at = head.indexOf('@');
    String name = at < 0 ? head : head.substring(0, at);
    String target = at < 0 ? null : head.substring(at + 1);
    if (!name.equalsIgnoreCase(command)) {
      return null;
    }
    if (target != null && botUsername != null && !target.equalsIgnoreCase(botUsername)) {
      return null;
    }
    return text.substring(end).trim();
  }

  /**
   * Telegram marks real commands with a bot_command entity; text merely starting with '/' is not.
   */
  private static boolean startsWithCommandEntity(Message message) {
    if (message.getEntities() == null) {
      // Hand-built or stripped updates may lack entities; the leading slash is then the best sign.
      return true;
    }
    for (MessageEntity entity : message.getEntities()) {
      if ("bot_command".equals(entity.getType()) && entity.getOffset() == 0) {
        return true;
      }
    }
    return false;
  }
}
