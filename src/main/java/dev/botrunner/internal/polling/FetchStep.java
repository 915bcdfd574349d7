package dev.botrunner.internal.polling;

import dev.botrunner.internal.client.TelegramClient;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * The loop's step once this poller leads: with a durable store, save what the last poll fetched so
 * that the next poll confirms it (on a failed save, poll by the watermark until the next attempt);
 * with the memory store, spill the updates that held the offset back too long; wait while the
 * runner is full, or while a poll would bring back more re-sent updates than new ones; otherwise
 * one {@code getUpdates} for at most what the runner can take on top of the unconfirmed ones
 * ({@code min(100, seen + free)}; nothing is unconfirmed once a batch is saved).
 */
final class FetchStep {

  /**
   * How long batches may bring nothing new while the offset stays put before the unfinished updates
   * are spilled: a stuck update would otherwise cap the lookahead at 100 behind it.
   */
  static final Duration SPILL_AFTER = Duration.ofSeconds(2);

  private final TelegramClient api;
  private final int pollSeconds;
  private final List<String> allowedUpdates;
  private final FetchCapacity capacity;
  private final OffsetWindow window;
  private final Spill spill;
  private final PollSteps steps;
  private final LongAdder polls = new LongAdder();
  private volatile Duration spillAfter = SPILL_AFTER;
  private volatile boolean waitingForCapacity;

  /** Least time between two polls while some fetched updates are still unconfirmed. */
  static final Duration RESEND_GAP = Duration.ofMillis(10);

  /** Quarkus's timers refuse delays under 1 ms; so short a wait is not worth one anyway. */
  private static final Duration SHORTEST_PAUSE = Duration.ofMillis(1);

  private volatile long resendGapNanos = RESEND_GAP.toNanos();
  private volatile long lastPollNanos = System.nanoTime() - resendGapNanos;

  /** The last wait for room ended without a release: poll even though few slots are free. */
  private volatile boolean roomWaitTimedOut;

  FetchStep(
      TelegramClient api,
      int pollSeconds,
      List<String> allowedUpdates,
      FetchCapacity capacity,
      OffsetWindow window,
      Spill spill,
      PollSteps steps) {
    this.api = api;
    this.pollSeconds = pollSeconds;
    this.allowedUpdates = allowedUpdates;
    this.capacity = capacity;
    this.window = window;
    this.spill = spill;
    this.steps = steps;
  }

  /** See {@link LongPollerBuilder#spillAfter}. */
  void spillAfter(Duration after) {
    this.spillAfter = after;
  }

  /** See {@link LongPollerBuilder#resendGap}. */
  void resendGap(Duration gap) {
    this.resendGapNanos = gap.toNanos();
  }

  /** How many getUpdates requests were sent. */
  long polls() {
    return polls.sum();
  }

  /** Whether the loop is paused because the runner is full. */
  boolean waitingForCapacity() {
    return waitingForCapacity;
  }

  /**
   * Takes one step.
   *
   * @param next the loop's next step, run when this one's wait or request is over
   * @param accept receives a getUpdates answer
   */
  void run(Runnable next, Consumer<List<Update>> accept) {
    CompletionStage<Void> release = capacity.nextRelease();
    int free = capacity.free();
    long now = System.nanoTime();
    OffsetWindow.Position at =
        window.position(LongPoller.TELEGRAM_MAX_LIMIT, spillAfter.toNanos(), now);
    if (spill.durable() && at.seen() > 0) {
      long saveWait = spill.saveWaitNanos(now);
      if (saveWait == 0) {
        // Save what was fetched, then let the offset pass it: the next poll confirms it, and
        // Telegram never sends it again (each update is fetched once).
        steps.run(
            spill.saveFetched(),
            saved -> {
              if (saved != null) {
                spill.passed(saved);
              }
              next.run();
            });
        return;
      }
      if (at.spillDue()) {
        // The last save failed moments ago: rather than re-fetch a full or stuck window, wait for
        // the next attempt.
        steps.run(pause(saveWait), ignored -> next.run());
        return;
      }
      // Otherwise poll by the watermark meanwhile, as with the memory store.
    } else if (at.spillDue()) {
      steps.run(
          spill.save(),
          stuck -> {
            spill.passed(stuck);
            next.run();
          });
      return;
    }
    if (free <= 0 || (free < capacity.batch() && capacity.aheadQueued())) {
      // Full, or fetched updates already wait for the next freed slots: a poll now would bring
      // only a few (and, under the watermark, re-fetch every unconfirmed one with them). Wait
      // until a full batch fits; the queued ones keep the slots busy meanwhile.
      waitingForCapacity = true;
      // A step like any other: a failure in what follows reaches the loop's failure handler
      // instead of dying in a future nobody reads, and stopping cancels the wait.
      steps.run(
          capacity.release(release).onTermination().invoke(() -> waitingForCapacity = false),
          ignored -> next.run());
      return;
    }
    if (free < at.seen() && !roomWaitTimedOut) {
      // Each poll brings back the unconfirmed updates (decoded, then dropped) on top of at most
      // `free` new ones; polling at every release with a few hot chats would re-fetch about ten
      // updates per new one. Wait for releases until the new part is at least as large, but poll
      // anyway after a pause without any release, so the stuck-offset spill still runs.
      steps.run(
          capacity.releaseOrTimeout(release),
          timedOut -> {
            roomWaitTimedOut = timedOut;
            next.run();
          });
      return;
    }
    roomWaitTimedOut = false;
    now = System.nanoTime();
    long early = lastPollNanos + resendGapNanos - now;
    if (at.seen() > 0 && early >= SHORTEST_PAUSE.toNanos()) {
      // Telegram answers at once while anything is unconfirmed, re-sending it all. At a steady
      // trickle, polling at once makes one poll per finished update (about 280/s at 500
      // updates/s); a short gap lets each poll carry several new updates instead. Idle bots are not
      // delayed: with
      // nothing unconfirmed the long poll waits at Telegram and returns the moment an update comes.
      steps.run(pause(early), ignored -> next.run());
      return;
    }
    lastPollNanos = now;
    int limit = Math.min(LongPoller.TELEGRAM_MAX_LIMIT, at.seen() + free);
    polls.increment();
    steps.run(api.getUpdates(at.offset(), limit, pollSeconds, allowedUpdates), accept);
  }

  private static Uni<Void> pause(long nanos) {
    return Uni.createFrom()
        .voidItem()
        .onItem()
        .delayIt()
        .by(Duration.ofMillis(Math.max(SHORTEST_PAUSE.toMillis(), nanos / 1_000_000)));
  }
}
