package dev.botrunner.internal.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.botrunner.Session;
import dev.botrunner.SessionConflictException;
import dev.botrunner.internal.client.BotJson;
import dev.botrunner.internal.propagation.OwnPipeline;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The {@link Session} of one update over a {@link SessionStore}. Lazy: the store is read the first
 * time a handler asks for the value. At the end of the update {@link #commit()} writes the value
 * back only if its JSON changed, naming the version that was read; setting the value to null
 * deletes the session.
 */
public final class VersionedSession implements Session {

  private static final CompletableFuture<Boolean> NOT_RECORDED =
      CompletableFuture.completedFuture(false);

  private final String key;
  private final SessionStore store;
  private final SessionMetrics metrics;

  private boolean loaded;

  /** Whether the store was read; a value {@link #set} without reading needs the version first. */
  private boolean fetched;

  private String loadedJson;
  private long loadedVersion = SessionStore.ABSENT;
  private Object value;

  /** Where a first read goes when not {@link #store}: a unit of work's open transaction. */
  private SessionStore reads;

  /**
   * @param key the session key, or null when the update has none (no chat, no user)
   * @param store where the session lives
   */
  public VersionedSession(String key, SessionStore store) {
    this(key, store, new SessionMetrics());
  }

  /**
   * @param key the session key, or null when the update has none (no chat, no user)
   * @param store where the session lives
   * @param metrics counts reads, writes and skipped writes
   */
  public VersionedSession(String key, SessionStore store, SessionMetrics metrics) {
    this.key = key;
    this.store = store;
    this.metrics = metrics;
  }

  /**
   * @return the session key, or null
   */
  @Override
  public String key() {
    return key;
  }

  /**
   * Reads the session without blocking.
   *
   * @param type the session's class (a Jackson-serializable bean or record)
   * @param initial creates the value of a chat that has no session yet
   * @param <T> the session type
   * @return the value; mutate it or {@link #set} a new one
   */
  @Override
  public <T> Uni<T> load(Class<T> type, Supplier<T> initial) {
    return OwnPipeline.deferFuture(() -> loadNow(type, initial));
  }

  /** {@link #load} started now, as a future (no Mutiny operator: see {@link OwnPipeline}). */
  private synchronized <T> CompletableFuture<T> loadNow(Class<T> type, Supplier<T> initial) {
    if (loaded) {
      return CompletableFuture.completedFuture(type.cast(value));
    }
    if (key == null) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("this update has no session key: no chat, no user"));
    }
    metrics.read();
    return (reads == null ? store : reads)
        .readNow(key)
        .thenApply(stored -> adopt(stored, type, initial));
  }

  /**
   * Sends the first read, from now on, to {@code through}: an update's unit of work reads in its
   * own transaction, on the connection it holds, instead of waiting for another one from the pool.
   *
   * @param through the store that reads
   */
  public synchronized void readThrough(SessionStore through) {
    this.reads = through;
  }

  /**
   * Reads the session, blocking the calling worker thread until it is loaded. Reactive code uses
   * {@link #load}.
   *
   * @param type the session's class
   * @param initial creates the value of a chat that has no session yet
   * @param <T> the session type
   * @return the value; mutate it or {@link #set} a new one
   */
  @Override
  public <T> T get(Class<T> type, Supplier<T> initial) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException(
          "session().get(..) blocks; on an event loop use session().load(..) instead");
    }
    return load(type, initial).await().indefinitely();
  }

  /**
   * Replaces the value; null deletes the session at the end of the update.
   *
   * @param newValue the new session value
   */
  @Override
  public synchronized void set(Object newValue) {
    loaded = true;
    value = newValue;
  }

  private synchronized <T> T adopt(StoredSession stored, Class<T> type, Supplier<T> initial) {
    if (loaded) {
      return type.cast(value);
    }
    loaded = true;
    fetched = true;
    if (stored == null) {
      value = initial.get();
      return type.cast(value);
    }
    loadedVersion = stored.version();
    try {
      value = BotJson.MAPPER.readValue(stored.json(), type);
      // Compare later writes with the value as we serialize it, not with a normalised text
      // (PostgreSQL's jsonb reorders keys and adds spaces): an unchanged session must not be
      // rewritten because of that. Text a store keeps verbatim was serialized by a commit like
      // this one already; if other code wrote it in another form, one needless write follows.
      loadedJson = stored.verbatim() ? stored.json() : BotJson.MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      loaded = false;
      fetched = false;
      throw new IllegalStateException(
          "session " + key + " does not decode as " + type.getSimpleName() + ": " + e.getMessage(),
          e);
    }
    return type.cast(value);
  }

  /**
   * Writes the session back if it was touched and its JSON changed.
   *
   * @return completion; fails with {@link SessionConflictException} when another writer won
   */
  public Uni<Void> commit() {
    return OwnPipeline.deferFuture(() -> commitNow(null).thenApply(recorded -> (Void) null));
  }

  /**
   * Writes the session back if it was touched and its JSON changed, recording {@code updateId} as
   * processed in the same write.
   *
   * @param updateId the update whose effect this is, or null to record nothing
   * @return whether the id was recorded (false when nothing was written); fails with {@link
   *     SessionConflictException} when another writer won, {@link DuplicateUpdateException} when
   *     the id was recorded already
   */
  public Uni<Boolean> commit(Integer updateId) {
    return OwnPipeline.deferFuture(() -> commitNow(updateId));
  }

  /**
   * {@link #commit(Integer)} started now, as a future: the runtime's per-update path.
   *
   * @param updateId the update whose effect this is, or null to record nothing
   * @return whether the id was recorded
   */
  public CompletableFuture<Boolean> commitNow(Integer updateId) {
    return commitNow(updateId, store);
  }

  /**
   * Writes like {@link #commit(Integer)}, through {@code through} instead of this session's store:
   * a unit of work's store, whose statements run in the unit's transaction.
   *
   * @param updateId the update whose effect this is, or null to record nothing
   * @param through the store that writes (and, for a blind set, reads the version)
   * @return as {@link #commit(Integer)}
   */
  public Uni<Boolean> commit(Integer updateId, SessionStore through) {
    return OwnPipeline.deferFuture(() -> commitNow(updateId, through));
  }

  private synchronized CompletableFuture<Boolean> commitNow(
      Integer updateId, SessionStore through) {
    if (!loaded || key == null) {
      return NOT_RECORDED;
    }
    if (!fetched) {
      // A blind set: nothing was read, so there is no read to protect; learn the version to
      // write.
      metrics.read();
      return through
          .readNow(key)
          .thenCompose(
              stored -> {
                synchronized (this) {
                  fetched = true;
                  loadedJson = stored == null ? null : stored.json();
                  loadedVersion = stored == null ? SessionStore.ABSENT : stored.version();
                }
                return commitNow(updateId, through);
              });
    }
    if (value == null) {
      if (loadedJson == null) {
        return NOT_RECORDED;
      }
      metrics.write();
      if (updateId == null) {
        return OwnPipeline.run(() -> OwnPipeline.toFuture(through.delete(key, loadedVersion)))
            .thenApply(ignored -> false);
      }
      return through.deleteNow(key, loadedVersion, updateId).thenApply(ignored -> true);
    }
    String json;
    try {
      json = BotJson.MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("session " + key + " cannot be serialized", e));
    }
    if (Objects.equals(json, loadedJson)) {
      metrics.skippedWrite();
      return NOT_RECORDED;
    }
    metrics.write();
    if (updateId == null) {
      return OwnPipeline.run(() -> OwnPipeline.toFuture(through.write(key, json, loadedVersion)))
          .thenApply(ignored -> false);
    }
    return through.writeNow(key, json, loadedVersion, updateId).thenApply(ignored -> true);
  }
}
