package dev.botrunner;

import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;

/**
 * The session of the update being handled: a value kept per chat (else per user) between updates,
 * stored as JSON. Read lazily, the first time a handler asks for it; written back at the end of the
 * update only if its JSON changed, naming the version that was read, so a concurrent writer is
 * detected ({@link SessionConflictException}) instead of silently overwritten. Setting the value to
 * null deletes the session.
 */
public interface Session {

  /**
   * @return the session key (the chat, else the user), or null when the update has neither
   */
  String key();

  /**
   * Reads the session without blocking.
   *
   * @param type the session's class (a Jackson-serializable bean or record)
   * @param initial creates the value of a chat that has no session yet
   * @param <T> the session type
   * @return the value; mutate it or {@link #set} a new one
   */
  <T> Uni<T> load(Class<T> type, Supplier<T> initial);

  /**
   * Reads the session, blocking the calling worker thread until it is loaded; shortcut for {@code
   * load(type, initial).await().indefinitely()}. Reactive code uses {@link #load}.
   *
   * @param type the session's class
   * @param initial creates the value of a chat that has no session yet
   * @param <T> the session type
   * @return the value; mutate it or {@link #set} a new one
   * @throws IllegalStateException on a Vert.x event loop, which must not block
   */
  <T> T get(Class<T> type, Supplier<T> initial);

  /**
   * Replaces the value; null deletes the session at the end of the update.
   *
   * @param newValue the new session value
   */
  void set(Object newValue);
}
