package dev.botrunner.internal.store;

import dev.botrunner.SessionConflictException;
import dev.botrunner.internal.propagation.OwnPipeline;
import io.smallrye.mutiny.Uni;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Sessions in this process's memory, with the same versioned compare-and-set as the database store.
 * For development and single-replica bots whose sessions may be lost on restart.
 */
public final class MemorySessionStore implements SessionStore {

  /** How many processed update ids the in-memory dedupe window remembers. */
  public static final int PROCESSED_WINDOW = 100_000;

  private final ConcurrentMap<String, StoredSession> sessions = new ConcurrentHashMap<>();

  private final Set<Integer> processed =
      Collections.newSetFromMap(
          new LinkedHashMap<>() {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, Boolean> eldest) {
              return size() > PROCESSED_WINDOW;
            }
          });

  @Override
  public Uni<Boolean> isProcessed(int updateId) {
    return OwnPipeline.run(
        () -> {
          synchronized (processed) {
            return Uni.createFrom().item(processed.contains(updateId));
          }
        });
  }

  @Override
  public Uni<Void> markProcessed(int updateId) {
    return OwnPipeline.run(
        () -> {
          synchronized (processed) {
            processed.add(updateId);
          }
          return Uni.createFrom().voidItem();
        });
  }

  @Override
  public Uni<StoredSession> read(String key) {
    return OwnPipeline.run(
        () -> {
          return Uni.createFrom().item(() -> sessions.get(key));
        });
  }

  @Override
  public Uni<Long> write(String key, String json, long expectedVersion) {
    return OwnPipeline.run(
        () -> {
          return Uni.createFrom()
              .item(() -> swap(key, expectedVersion, json))
              .replaceWith(expectedVersion + 1);
        });
  }

  @Override
  public Uni<Void> delete(String key, long expectedVersion) {
    return Uni.createFrom().item(() -> swap(key, expectedVersion, null)).replaceWithVoid();
  }

  @Override
  public CompletableFuture<StoredSession> readNow(String key) {
    return CompletableFuture.completedFuture(sessions.get(key));
  }

  @Override
  public CompletableFuture<Long> writeNow(
      String key, String json, long expectedVersion, int updateId) {
    try {
      swap(key, expectedVersion, json);
    } catch (SessionConflictException e) {
      return CompletableFuture.failedFuture(e);
    }
    recordProcessed(updateId);
    return CompletableFuture.completedFuture(expectedVersion + 1);
  }

  @Override
  public CompletableFuture<Void> deleteNow(String key, long expectedVersion, int updateId) {
    try {
      swap(key, expectedVersion, null);
    } catch (SessionConflictException e) {
      return CompletableFuture.failedFuture(e);
    }
    recordProcessed(updateId);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Boolean> isProcessedNow(int updateId) {
    synchronized (processed) {
      return CompletableFuture.completedFuture(processed.contains(updateId));
    }
  }

  @Override
  public CompletableFuture<Void> markProcessedNow(int updateId) {
    recordProcessed(updateId);
    return CompletableFuture.completedFuture(null);
  }

  private void recordProcessed(int updateId) {
    synchronized (processed) {
      processed.add(updateId);
    }
  }

  /** Replaces (or removes, for null json) the session only if it still has the expected version. */
  private boolean swap(String key, long expectedVersion, String json) {
    long[] found = {ABSENT};
    boolean[] swapped = {false};
    sessions.compute(
        key,
        (k, existing) -> {
          found[0] = existing == null ? ABSENT : existing.version();
          if (found[0] != expectedVersion || (json == null && existing == null)) {
            return existing;
          }
          swapped[0] = true;
          return json == null ? null : new StoredSession(json, expectedVersion + 1, true);
        });
    if (!swapped[0]) {
      throw new SessionConflictException(key, expectedVersion, found[0]);
    }
    return true;
  }

  /**
   * @return number of sessions held
   */
  public int size() {
    return sessions.size();
  }
}
