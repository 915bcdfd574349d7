package dev.botrunner.internal.store;

import dev.botrunner.SessionConflictException;
import dev.botrunner.internal.propagation.OwnPipeline;
import io.smallrye.mutiny.Uni;
import java.util.concurrent.CompletableFuture;

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

  /**
   * Writes like {@link #write(String, String, long)} and records {@code updateId} as processed in
   * the same transaction (when the store has transactions), so the session effect of an update
   * happens exactly once.
   *
   * @param key the session key
   * @param json the new data
   * @param expectedVersion the version read before
   * @param updateId the update whose effect this is
   * @return the new version; fails with {@link DuplicateUpdateException} (nothing written) when the
   *     id was already recorded
   */
  default Uni<Long> write(String key, String json, long expectedVersion, int updateId) {
    return write(key, json, expectedVersion).call(() -> markProcessed(updateId));
  }

  /**
   * Deletes like {@link #delete(String, long)} and records {@code updateId} as processed.
   *
   * @param key the session key
   * @param expectedVersion the version read before
   * @param updateId the update whose effect this is
   * @return completion
   */
  default Uni<Void> delete(String key, long expectedVersion, int updateId) {
    return delete(key, expectedVersion).call(() -> markProcessed(updateId));
  }

  /**
   * @param updateId an update
   * @return whether it was recorded as processed (within the retention)
   */
  default Uni<Boolean> isProcessed(int updateId) {
    return Uni.createFrom().item(false);
  }

  /**
   * Records an update that wrote no session as processed.
   *
   * @param updateId the update
   * @return completion
   */
  default Uni<Void> markProcessed(int updateId) {
    return Uni.createFrom().voidItem();
  }

  // The forms below start at once and answer with a future: botrunner's per-update path runs on
  // futures rather than Mutiny operators, each of which costs a context lookup when the application
  // has context propagation (see OwnPipeline). A store overrides them where it can answer without
  // building a Uni.

  /**
   * {@link #read} started now.
   *
   * @param key the session key
   * @return the stored session, or null when there is none
   */
  default CompletableFuture<StoredSession> readNow(String key) {
    return OwnPipeline.run(() -> OwnPipeline.toFuture(read(key)));
  }

  /**
   * {@link #write(String, String, long, int)} started now.
   *
   * @param key the session key
   * @param json the new data
   * @param expectedVersion the version read before
   * @param updateId the update whose effect this is
   * @return the new version
   */
  default CompletableFuture<Long> writeNow(
      String key, String json, long expectedVersion, int updateId) {
    return OwnPipeline.run(() -> OwnPipeline.toFuture(write(key, json, expectedVersion, updateId)));
  }

  /**
   * {@link #delete(String, long, int)} started now.
   *
   * @param key the session key
   * @param expectedVersion the version read before
   * @param updateId the update whose effect this is
   * @return completion
   */
  default CompletableFuture<Void> deleteNow(String key, long expectedVersion, int updateId) {
    return OwnPipeline.run(() -> OwnPipeline.toFuture(delete(key, expectedVersion, updateId)));
  }

  /**
   * {@link #isProcessed} started now.
   *
   * @param updateId an update
   * @return whether it was recorded as processed
   */
  default CompletableFuture<Boolean> isProcessedNow(int updateId) {
    return OwnPipeline.run(() -> OwnPipeline.toFuture(isProcessed(updateId)));
  }

  /**
   * {@link #markProcessed} started now.
   *
   * @param updateId the update
   * @return completion
   */
  default CompletableFuture<Void> markProcessedNow(int updateId) {
    return OwnPipeline.run(() -> OwnPipeline.toFuture(markProcessed(updateId)));
  }
}
