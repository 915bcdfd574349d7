package dev.botrunner.internal.polling;

import dev.botrunner.internal.dispatch.Dispatcher;
import dev.botrunner.internal.dispatch.KeyedSerialScheduler;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * The polling loop's back-pressure: how many new updates the runner can take right now (free slots,
 * a short queue of updates ready to take the next freed slots, and room in the waiting queue), and
 * the signals to wait on when it can take none, so that memory stays bounded.
 *
 * <p>The ready queue (the lookahead) is what keeps the slots full when handlers are slow: slots
 * free up in bursts (a wave of updates that started together ends together), and without updates
 * already fetched each freed slot would wait for a {@code getUpdates} round trip, and the last of a
 * burst for several, since one poll brings at most 100.
 */
final class FetchCapacity {

  /** Pause between polls that brought nothing new while something is unconfirmed. */
  private static final Duration RESEND_PAUSE = Duration.ofMillis(200);

  private final Dispatcher dispatcher;
  private final int maxWaiting;
  private final int lookahead;

  /**
   * @param dispatcher whose scheduler runs the updates
   * @param maxWaiting bound on updates accepted but not yet running
   * @param lookahead how many fetched updates may wait for a slot, on top of the free slots
   */
  FetchCapacity(Dispatcher dispatcher, int maxWaiting, int lookahead) {
    this.dispatcher = dispatcher;
    this.maxWaiting = maxWaiting;
    this.lookahead = lookahead;
  }

  /**
   * The default lookahead: as many as the concurrency limit, so that a whole wave of slots freed
   * together is refilled from memory while the next polls bring the following one.
   *
   * @param concurrency the runner's limit
   * @return how many fetched updates may wait for a slot
   */
  static int lookaheadFor(int concurrency) {
    return concurrency;
  }

  /**
   * @return completes when the dispatcher next releases a slot; take it before {@link #free}, so
   *     that a release in between cannot be missed
   */
  CompletionStage<Void> nextRelease() {
    return dispatcher.nextRelease();
  }

  /**
   * @return how many new updates could start now or join the lookahead, at most {@link
   *     LongPoller#TELEGRAM_MAX_LIMIT}
   */
  int free() {
    KeyedSerialScheduler scheduler = dispatcher.scheduler();
    int room = maxWaiting - scheduler.waiting();
    int ahead = Math.max(0, lookahead - scheduler.readyWaiting());
    return Math.min(LongPoller.TELEGRAM_MAX_LIMIT, Math.min(scheduler.freeSlots() + ahead, room));
  }

  /**
   * @return whether updates already fetched wait for a slot: the next freed slots are taken without
   *     a poll, so a poll can wait until it brings a full batch
   */
  boolean aheadQueued() {
    return dispatcher.scheduler().readyWaiting() > 0;
  }

  /**
   * @return the batch worth a poll while {@link #aheadQueued}: a full one, or the whole lookahead
   *     when it is smaller
   */
  int batch() {
    return Math.max(1, Math.min(LongPoller.TELEGRAM_MAX_LIMIT, lookahead));
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
