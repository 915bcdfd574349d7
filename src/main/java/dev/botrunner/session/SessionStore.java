package dev.botrunner.session;

import io.smallrye.mutiny.Uni;

/**
 * Where sessions live. Writes are compare-and-set on the version that was read, so a concurrent
 * writer is detected ({@link SessionConflictException}) instead of silently overwritten.
 */
public interface SessionStore {

  /** Version a write names when it creates a session that did not exist when read. */
  long ABSENT = 0;

  /**
   * @param key the session key
   * @return the stored session, or a null item when there is none
   */
  Uni<StoredSession> read(String key);

  /**
   * Creates (expectedVersion {@link #ABSENT}) or replaces a session.
   *
   * @param key the session key
   * @param json the new data
   * @param expectedVersion the version read before; the write fails if it changed
   * @return the new version
   */
  Uni<Long> write(String key, String json, long expectedVersion);

  /**
   * @param key the session key
   * @param expectedVersion the version read before; the delete fails if it changed
   * @return completion
   */
  Uni<Void> delete(String key, long expectedVersion);
}
