package dev.botrunner.internal.dispatch;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/** A task whose completion the test controls: it records its start and returns a pending future. */
final class HeldTask implements KeyedSerialScheduler.Task {

  final Object id;
  final CompletableFuture<Void> future = new CompletableFuture<>();
  private final AtomicInteger starts = new AtomicInteger();
  private final List<Object> startLog;

  HeldTask(Object id) {
    this(id, null);
  }

  HeldTask(Object id, List<Object> startLog) {
    this.id = id;
    this.startLog = startLog;
  }

  @Override
  public CompletionStage<?> start() {
    starts.incrementAndGet();
    if (startLog != null) {
      startLog.add(id);
    }
    return future;
  }

  boolean started() {
    return starts.get() > 0;
  }

  int starts() {
    return starts.get();
  }

  void succeed() {
    future.complete(null);
  }

  void fail() {
    future.completeExceptionally(new IllegalStateException("task " + id + " failed on purpose"));
  }
}
