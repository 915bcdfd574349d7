package dev.botrunner.internal.store;

import jakarta.inject.Singleton;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the session path (they become Prometheus metrics later): store reads, writes
 * (including deletes), writes skipped because nothing changed, conflicts, and sweeper runs.
 */
@Singleton
public class SessionMetrics {

  private final LongAdder reads = new LongAdder();
  private final LongAdder writes = new LongAdder();
  private final LongAdder skippedWrites = new LongAdder();
  private final LongAdder conflicts = new LongAdder();
  private final LongAdder sweeps = new LongAdder();
  private final LongAdder swept = new LongAdder();

  void read() {
    reads.increment();
  }

  void write() {
    writes.increment();
  }

  void skippedWrite() {
    skippedWrites.increment();
  }

  /** Counts one conflict (a write rejected because another writer changed the session). */
  public void conflict() {
    conflicts.increment();
  }

  /**
   * Counts one sweeper run.
   *
   * @param rows expired sessions it deleted
   */
  public void sweep(long rows) {
    sweeps.increment();
    swept.add(rows);
  }

  /**
   * @return session reads from the store
   */
  public long reads() {
    return reads.sum();
  }

  /**
   * @return session writes and deletes sent to the store
   */
  public long writes() {
    return writes.sum();
  }

  /**
   * @return sessions read but not written back because their JSON did not change
   */
  public long skippedWrites() {
    return skippedWrites.sum();
  }

  /**
   * @return conflicts seen (each retry's conflict counts again)
   */
  public long conflicts() {
    return conflicts.sum();
  }

  /**
   * @return sweeper runs
   */
  public long sweeps() {
    return sweeps.sum();
  }

  /**
   * @return expired sessions deleted by the sweeper
   */
  public long swept() {
    return swept.sum();
  }
}
