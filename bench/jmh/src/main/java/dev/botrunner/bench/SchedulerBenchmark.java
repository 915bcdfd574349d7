package dev.botrunner.bench;

import dev.botrunner.internal.dispatch.KeyedSerialScheduler;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The keyed-serial scheduler alone: each invocation submits a batch of tasks over the key space
 * (their futures held open, so same-key tasks really queue), then completes them in submission
 * order, which starts each key's next task. Reported per task (submit + start + complete).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SchedulerBenchmark {

  static final int BATCH = 1000;

  /** One scheduler shared by all benchmark threads, as in the service. */
  @State(Scope.Benchmark)
  public static class Shared {
    @Param({"1", "1000", "100000"})
    public int keys;

    /** Whether every task also carries a second key (chat and user). */
    @Param({"false", "true"})
    public boolean multiKey;

    KeyedSerialScheduler scheduler;

    @Setup(Level.Trial)
    public void setUp() {
      scheduler = new KeyedSerialScheduler(500);
    }
  }

  /** Per-thread key cursor and held futures. */
  @State(Scope.Thread)
  public static class Batch {
    final ArrayDeque<CompletableFuture<Void>> started = new ArrayDeque<>();
    final Object[] boxed = new Object[200_000];
    long next;
    int threadSalt;

    @Setup(Level.Trial)
    public void setUp() {
      // Non-negative: it offsets this thread's walk over the key space (see submitAndComplete).
      threadSalt = System.identityHashCode(this) & 0x7fffffff;
      for (int i = 0; i < boxed.length; i++) {
        boxed[i] = (long) i;
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void submitAndComplete(Shared shared, Batch batch) {
    KeyedSerialScheduler scheduler = shared.scheduler;
    KeyedSerialScheduler.Task task =
        () -> {
          CompletableFuture<Void> future = new CompletableFuture<>();
          synchronized (batch.started) {
            batch.started.add(future);
          }
          return (CompletionStage<?>) future;
        };
    for (int i = 0; i < BATCH; i++) {
      // Each thread starts at its own point of the key space. Without the offset, two threads walk
      // the same keys in lockstep and nearly every task queues behind the other thread's task of
      // the same key, which measures a collision storm that real chats do not produce.
      int k = (int) ((batch.next++ + batch.threadSalt) % shared.keys);
      Object chat = batch.boxed[k];
      List<Object> keys =
          shared.multiKey
              ? List.of(chat, batch.boxed[(k * 7 + 1) % shared.keys + 100_000 % batch.boxed.length])
              : List.of(chat);
      scheduler.submit(keys, task);
      drain(batch, 1);
    }
    drain(batch, Integer.MAX_VALUE);
  }

  /** Completes started tasks (oldest first); completing one may start the next of its key. */
  private static void drain(Batch batch, int max) {
    for (int done = 0; done < max; done++) {
      CompletableFuture<Void> future;
      synchronized (batch.started) {
        future = batch.started.poll();
      }
      if (future == null) {
        return;
      }
      future.complete(null);
    }
  }
}
