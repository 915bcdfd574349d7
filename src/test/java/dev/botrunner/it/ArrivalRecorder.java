package dev.botrunner.it;

import dev.botrunner.dispatch.SessionKeyFunction;
import dev.botrunner.dispatch.UpdateKeyFunction;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Test-only key function: the default keys (the session key), plus a record of the order in which
 * each chat's updates reached the dispatcher ({@code Dispatcher.dispatch} asks for the keys right
 * before it queues the update). That is the order the scheduler promises to keep per chat.
 */
@Singleton
public class ArrivalRecorder implements UpdateKeyFunction {

  private static final Map<Long, List<String>> TEXTS = new ConcurrentHashMap<>();
  private final SessionKeyFunction keys = new SessionKeyFunction();

  @Override
  public Collection<?> keys(Update update) {
    if (update.hasMessage() && update.getMessage().hasText()) {
      List<String> texts =
          TEXTS.computeIfAbsent(update.getMessage().getChatId(), chat -> new ArrayList<>());
      synchronized (texts) {
        texts.add(update.getMessage().getText());
      }
    }
    return keys.keys(update);
  }

  /**
   * @param chatId a chat
   * @return its message texts in the order they reached the dispatcher
   */
  public static List<String> arrivals(long chatId) {
    List<String> texts = TEXTS.getOrDefault(chatId, List.of());
    synchronized (texts) {
      return List.copyOf(texts);
    }
  }
}
