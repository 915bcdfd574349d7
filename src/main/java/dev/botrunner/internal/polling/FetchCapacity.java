package dev.botrunner.internal.polling;

import dev.botrunner.internal.dispatch.Dispatcher;
import dev.botrunner.internal.dispatch.KeyedSerialScheduler;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * The polling loop's back-pressure: how many new updates the runner can take right now (free slots,
 * and room in the waiting queue), and the signals to wait on when it can take none, so that the
 * loop never fetches more than it can start and memory stays bounded.
 */
final class FetchCapacity {

  /** Pause between polls that brought nothing new while something is unconfirmed. */
  private static final Duration RESEND_PAUSE = Duration.ofMillis(200);

  private final Dispatcher dispatcher;
  private final int maxWaiting;

  /**
   * @param dispatcher whose scheduler runs the updates
   * @param maxWaiting bound on updates accepted but not yet running
   */
  FetchCapacity(Dispatcher dispatcher, int maxWaiting) {
    this.dispatcher = dispatcher;
    this.maxWaiting = maxWaiting;
  }

  /**
   * @return completes when the dispatcher next releases a slot; take it before {@link #free}, so
   *     that a release in between cannot be missed
   */
  CompletionStage<Void> nextRelease() {
    return dispatcher.nextRelease();
  }

  /**
   * @return how many new updates could start or wait now, at most {@link
   *     LongPoller#TELEGRAM_MAX_LIMIT}
   */
  int free() {
    KeyedSerialScheduler scheduler = dispatcher.scheduler();
    int room = maxWaiting - scheduler.waiting();
    return Math.min(LongPoller.TELEGRAM_MAX_LIMIT, Math.min(scheduler.freeSlots(), room));
  }

  /**
   * Waits for the next release, however long it takes.
   *
   * @param release from {@link #nextRelease}, taken before {@link #free}
   * @return completes at the release
   */
  Uni<Void> release(CompletionStage<Void> release) {
    // A copy: cancelling the wait must not cancel the dispatcher's shared signal.
    return Uni.createFrom().completionStage(release.toCompletableFuture().copy());
  }

  /**
   * Telegram answers at once while something is unconfirmed: rather than spin, wait for an update
   * to finish, or a short pause at most.
   *
   * @return completes at the next release or after the pause
   */
  Uni<Void> releaseOrPause() {
    CompletionStage<Void> release = dispatcher.nextRelease();
    return Uni.createFrom()
        // A copy: cancelling the pause must not cancel the dispatcher's shared signal.
        .completionStage(release.toCompletableFuture().copy())
        .ifNoItem()
        .after(RESEND_PAUSE)
        .recoverWithUni(() -> Uni.createFrom().voidItem());
  }

  /**
   * Waits for the next release, or the short pause at most.
   *
   * @param release from {@link #nextRelease}, taken before {@link #free}
   * @return false at a release, true when the pause ended the wait
   */
  Uni<Boolean> releaseOrTimeout(CompletionStage<Void> release) {
    return Uni.createFrom()
        // A copy: cancelling the pause must not cancel the dispatcher's shared signal.
        .completionStage(release.toCompletableFuture().copy())
        .replaceWith(false)
        .ifNoItem()
        .after(RESEND_PAUSE)
        .recoverWithItem(true);
  }
}
