package dev.botrunner.internal.metrics;

import dev.botrunner.UpdateKind;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * The Bot API name of an update's kind ({@code message}, {@code edited_message}, {@code
 * callback_query}, ...), for metric tags: the first {@link UpdateKind} whose field is set, no
 * reflection, no allocation.
 */
final class UpdateTypes {

  /** Tag value of an update of a kind this version does not know. */
  public static final String OTHER = "other";

  private UpdateTypes() {}

  /**
   * @param update any update
   * @return its kind as Telegram names the field, or {@link #OTHER}
   */
  public static String of(Update update) {
    UpdateKind kind = UpdateKind.kindOf(update);
    return kind == null ? OTHER : kind.fieldName();
  }
}
