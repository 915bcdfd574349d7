package dev.botrunner.internal.dispatch;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Wakes a source that stopped because the runner was full, the next time any update's keys are
 * released.
 *
 * <p>A fresh future per release rather than a condition variable, so a waiting source can chain its
 * next fetch on it without holding a thread.
 */
final class ReleaseSignal {

  private final AtomicReference<CompletableFuture<Void>> released =
      new AtomicReference<>(new CompletableFuture<>());

  /** Completes the current future and installs a new one for whoever waits next. */
  void signal() {
    released.getAndSet(new CompletableFuture<>()).complete(null);
  }

  /**
   * @return completes at the next {@link #signal}
   */
  CompletionStage<Void> next() {
    return released.get();
  }
}
