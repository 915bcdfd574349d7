package dev.botrunner.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.SessionConflictException;
import io.smallrye.mutiny.Uni;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Sessions are read lazily, written only when changed, and versioned. */
class VersionedSessionTest {

  /** The session type used here. */
  public static class Counter {
    /** The count. */
    public int count;
  }

  /** Counts the store operations a session performs. */
  static final class CountingStore implements SessionStore {
    final MemorySessionStore inner = new MemorySessionStore();
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger writes = new AtomicInteger();

    @Override
    public Uni<StoredSession> read(String key) {
      reads.incrementAndGet();
      return inner.read(key);
    }

    @Override
    public Uni<Long> write(String key, String json, long expectedVersion) {
      writes.incrementAndGet();
      return inner.write(key, json, expectedVersion);
    }

    @Override
    public Uni<Void> delete(String key, long expectedVersion) {
      writes.incrementAndGet();
      return inner.delete(key, expectedVersion);
    }
  }

  private final CountingStore store = new CountingStore();

  private int increment() {
    VersionedSession session = new VersionedSession("42", store);
    Counter counter = session.get(Counter.class, Counter::new);
    counter.count++;
    session.commit().await().indefinitely();
    return counter.count;
  }

  @Test
  void untouchedSessionCostsNothing() {
    new VersionedSession("42", store).commit().await().indefinitely();
    assertEquals(0, store.reads.get());
    assertEquals(0, store.writes.get());
  }

  @Test
  void readWithoutChangeIsNotWritten() {
    increment();
    int writes = store.writes.get();
    VersionedSession session = new VersionedSession("42", store);
    session.get(Counter.class, Counter::new);
    session.commit().await().indefinitely();
    assertEquals(writes, store.writes.get());
  }

  /** A store that normalises JSON the way PostgreSQL's jsonb does (spaces, its own key order). */
  static final class NormalisingStore implements SessionStore {
    final CountingStore inner = new CountingStore();

    @Override
    public Uni<StoredSession> read(String key) {
      return inner
          .read(key)
          .map(
              stored ->
                  stored == null
                      ? null
                      : new StoredSession(
                          stored.json().replace(":", ": ").replace(",", ", "), stored.version()));
    }

    @Override
    public Uni<Long> write(String key, String json, long expectedVersion) {
      return inner.write(key, json, expectedVersion);
    }

    @Override
    public Uni<Void> delete(String key, long expectedVersion) {
      return inner.delete(key, expectedVersion);
    }
  }

  @Test
  void normalisedJsonFromTheStoreDoesNotCauseAWrite() {
    NormalisingStore normalising = new NormalisingStore();
    SessionMetrics metrics = new SessionMetrics();
    VersionedSession first = new VersionedSession("42", normalising, metrics);
    first.get(Counter.class, Counter::new).count = 3;
    first.commit().await().indefinitely();
    assertEquals(1, normalising.inner.writes.get());

    VersionedSession readOnly = new VersionedSession("42", normalising, metrics);
    assertEquals(3, readOnly.get(Counter.class, Counter::new).count);
    readOnly.commit().await().indefinitely();
    assertEquals(1, normalising.inner.writes.get(), "read-only session must not be rewritten");
    assertEquals(2, metrics.reads());
    assertEquals(1, metrics.writes());
    assertEquals(1, metrics.skippedWrites());
  }

  @Test
  void theMemoryStoreKeepsTextVerbatimSoAReadIsNotSerializedAgain() {
    increment();
    assertTrue(store.inner.read("42").await().indefinitely().verbatim());
    // Text in another form than a commit writes (here by hand) costs one needless write, which
    // keeps the value; from then on the text is a commit's own and a read-only update writes none.
    store.inner.write("7", "{ \"count\" : 5 }", SessionStore.ABSENT).await().indefinitely();
    int writes = store.writes.get();
    for (int i = 0; i < 2; i++) {
      VersionedSession session = new VersionedSession("7", store);
      assertEquals(5, session.get(Counter.class, Counter::new).count);
      session.commit().await().indefinitely();
    }
    assertEquals(writes + 1, store.writes.get());
    assertEquals("{\"count\":5}", store.inner.read("7").await().indefinitely().json());
  }

  @Test
  void changesPersistWithIncreasingVersions() {
    assertEquals(1, increment());
    assertEquals(2, increment());
    assertEquals(3, increment());
    assertEquals(3, store.inner.read("42").await().indefinitely().version());
  }

  @Test
  void aConcurrentWriterIsDetectedNotOverwritten() {
    increment();
    VersionedSession first = new VersionedSession("42", store);
    VersionedSession second = new VersionedSession("42", store);
    first.get(Counter.class, Counter::new).count = 10;
    second.get(Counter.class, Counter::new).count = 20;
    first.commit().await().indefinitely();
    SessionConflictException conflict =
        assertThrows(SessionConflictException.class, () -> second.commit().await().indefinitely());
    assertEquals("42", conflict.key());
    assertEquals(1, conflict.expectedVersion());
    assertEquals(2, conflict.actualVersion());
    assertEquals(
        "{\"count\":10}", store.inner.read("42").await().indefinitely().json(), "first write kept");
  }

  @Test
  void settingNullDeletes() {
    increment();
    VersionedSession session = new VersionedSession("42", store);
    session.get(Counter.class, Counter::new);
    session.set(null);
    session.commit().await().indefinitely();
    assertNull(store.inner.read("42").await().indefinitely());
  }

  @Test
  void blindSetOverwritesTheCurrentVersion() {
    increment();
    VersionedSession session = new VersionedSession("42", store);
    Counter fresh = new Counter();
    fresh.count = 99;
    session.set(fresh);
    session.commit().await().indefinitely();
    assertEquals("{\"count\":99}", store.inner.read("42").await().indefinitely().json());
  }

  @Test
  void updatesWithoutAKeyCannotUseSessions() {
    VersionedSession session = new VersionedSession(null, store);
    assertThrows(IllegalStateException.class, () -> session.get(Counter.class, Counter::new));
  }
}
