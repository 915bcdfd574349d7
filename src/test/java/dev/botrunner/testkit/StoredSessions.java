package dev.botrunner.testkit;

import dev.botrunner.internal.client.BotJson;
import dev.botrunner.internal.store.SessionStore;
import dev.botrunner.internal.store.StoredSession;
import io.quarkus.arc.Arc;
import java.io.IOException;
import java.time.Duration;

/**
 * What the running application's session store holds, for a {@code @QuarkusTest}: the sessions as
 * written, in the store the application is configured with (memory or PostgreSQL). In-process tests
 * read them from {@link BotTester#session} instead.
 */
public final class StoredSessions {

  /** Longest wait for the store's answer. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private StoredSessions() {}

  /**
   * @param chatId a chat (the default session key)
   * @return the chat's session as stored now, as JSON, or {@code null} if it has none
   */
  public static String json(long chatId) {
    SessionStore store = Arc.container().instance(SessionStore.class).get();
    StoredSession stored = store.read(Long.toString(chatId)).await().atMost(TIMEOUT);
    return stored == null ? null : stored.json();
  }

  /**
   * @param chatId a chat (the default session key)
   * @param type the session's class, as the bot reads it
   * @param <T> the session type
   * @return the chat's session as stored now, or {@code null} if it has none
   */
  public static <T> T read(long chatId, Class<T> type) {
    String json = json(chatId);
    if (json == null) {
      return null;
    }
    try {
      return BotJson.MAPPER.readValue(json, type);
    } catch (IOException e) {
      throw new AssertionError("the session of chat " + chatId + " is not a " + type, e);
    }
  }
}
