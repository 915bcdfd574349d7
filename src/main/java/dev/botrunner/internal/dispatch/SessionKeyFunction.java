package dev.botrunner.internal.dispatch;

import dev.botrunner.SessionKey;
import dev.botrunner.UpdateKeyFunction;
import io.quarkus.arc.DefaultBean;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.List;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * The default key function: the session key, so that updates sharing a session are serialized and
 * the write-after-read hazard cannot happen inside one process.
 */
@Singleton
@DefaultBean
public class SessionKeyFunction implements UpdateKeyFunction {

  @Override
  public Collection<?> keys(Update update) {
    String key = SessionKey.of(update);
    return key == null ? List.of() : List.of(key);
  }
}
