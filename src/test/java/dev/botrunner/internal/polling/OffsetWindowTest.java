package dev.botrunner.internal.polling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.testkit.Updates;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * The watermark alone, without a loop or a clock: the offset confirms an update only when it and
 * every update before it finished, re-sent updates are not dispatched again, and a stuck offset or
 * a full window makes a spill due.
 */
class OffsetWindowTest {

  private static final long SPILL_AFTER = TimeUnit.SECONDS.toNanos(2);

  private final OffsetWindow window = new OffsetWindow();

  private static List<Update> ids(int... ids) {
    List<Update> updates = new ArrayList<>();
    for (int id : ids) {
      Update update = Updates.text(1, 1, "u" + id);
      update.setUpdateId(id);
      updates.add(update);
    }
    return updates;
  }

  private static List<Integer> idsOf(List<Update> updates) {
    return updates.stream().map(Update::getUpdateId).toList();
  }

  @Test
  void theOffsetIsTheLowestUnfinishedId() {
    assertNull(window.offset(), "nothing received yet");
    OffsetWindow.Batch batch = window.accept(ids(10, 11, 12), 0);
    assertEquals(List.of(10, 11, 12), idsOf(batch.fresh()));
    assertEquals(10, window.offset());
    assertEquals(3, window.unfinished());

    window.finished(11);
    assertEquals(10, window.offset(), "11 finished out of order: 10 still holds the offset");
    window.finished(10);
    assertEquals(12, window.offset(), "10 and 11 are confirmed together");
    window.finished(12);
    assertEquals(13, window.offset(), "all finished: the highest received + 1");
    assertEquals(0, window.unfinished());
  }

  @Test
  void updatesSentAgainAreCountedNotDispatched() {
    window.accept(ids(10, 11), 0);
    window.finished(10);
    OffsetWindow.Batch batch = window.accept(ids(9, 11, 12), 0);
    assertEquals(List.of(12), idsOf(batch.fresh()), "9 is below the offset, 11 is in flight");
    assertEquals(2, batch.again());
    assertFalse(batch.nothingNew());

    OffsetWindow.Batch again = window.accept(ids(11, 12), 0);
    assertTrue(again.fresh().isEmpty());
    assertTrue(again.nothingNew());
    assertFalse(window.accept(List.of(), 0).nothingNew(), "an empty batch is not a re-send");
  }

  @Test
  void aSpillIsDueWhenTheOffsetStandsStillOrTheWindowIsFull() {
    window.accept(ids(10, 11), 0);
    assertFalse(window.position(100, SPILL_AFTER, SPILL_AFTER * 10).spillDue(), "not stuck yet");

    window.accept(ids(10, 11), 1_000); // nothing new: the clock for offset 10 starts
    OffsetWindow.Position early = window.position(100, SPILL_AFTER, 1_000 + SPILL_AFTER - 1);
    assertFalse(early.spillDue());
    assertEquals(2, early.seen());
    assertEquals(10, early.offset());
    assertTrue(window.position(100, SPILL_AFTER, 1_000 + SPILL_AFTER).spillDue());

    window.accept(ids(12), 2_000); // something new: the clock stops
    assertFalse(window.position(100, SPILL_AFTER, 1_000 + SPILL_AFTER * 10).spillDue());
    assertTrue(window.position(3, SPILL_AFTER, 0).spillDue(), "the window holds 3 of 3");
  }

  @Test
  void spilledUpdatesArePassedByTheOffsetAndStillTracked() {
    window.accept(ids(10, 11, 12), 0);
    window.finished(11);
    OffsetWindow.Stuck stuck = window.stuck();
    assertEquals(List.of(10, 12), idsOf(stuck.updates()));
    assertEquals(13, stuck.passTo());

    window.finished(12); // finishes while it is being saved
    OffsetWindow.Passed passed = window.pass(stuck);
    assertEquals(List.of(12), passed.finishedMeanwhile());
    assertEquals(1, passed.count());
    assertEquals(1, passed.held());
    assertTrue(passed.episodeStarts());
    assertEquals(13, window.offset());
    assertEquals(1, window.unfinished(), "10 is spilled, not forgotten");

    assertEquals(1, window.accept(ids(10, 13), 0).again(), "a spilled update sent again is known");
    assertEquals(OffsetWindow.Finished.NOT_SPILLED, window.finished(13));
    assertEquals(OffsetWindow.Finished.LAST_SPILLED, window.finished(10));
    assertEquals(0, window.unfinished());
    assertEquals(14, window.offset());
  }

  @Test
  void aSpillEpisodeEndsOnlyWhenTheLastSpilledUpdateFinishes() {
    window.holdRecovered(ids(5, 6));
    window.accept(ids(10), 0);
    OffsetWindow.Passed passed = window.pass(window.stuck());
    assertTrue(passed.episodeStarts());
    assertEquals(3, passed.held());
    assertEquals(OffsetWindow.Finished.SPILLED, window.finished(5));
    assertEquals(OffsetWindow.Finished.SPILLED, window.finished(10));
    assertEquals(OffsetWindow.Finished.LAST_SPILLED, window.finished(6));
    assertEquals(OffsetWindow.Finished.NOT_SPILLED, window.finished(6), "already gone");
  }

  @Test
  void updatesLoadedAtAStartAndSentAgainByTelegramAreConfirmedNotDispatched() {
    // Saved by a process that died before its next poll confirmed them.
    assertEquals(List.of(5, 6), idsOf(window.holdRecovered(ids(5, 6))));
    assertEquals(List.of(), window.holdRecovered(ids(6)), "held already");

    OffsetWindow.Batch batch = window.accept(ids(5, 6), 0);
    assertEquals(List.of(), batch.fresh());
    assertEquals(7, window.offset(), "the next poll confirms them, or they would come back");

    OffsetWindow.Batch mixed = window.accept(ids(6, 7), 0);
    assertEquals(List.of(7), idsOf(mixed.fresh()));
    assertEquals(7, window.offset(), "7 is unfinished");
    assertEquals(3, window.unfinished());
  }

  @Test
  void awaitFinishedReportsWhatIsLeftAtTheDeadline() throws Exception {
    window.accept(ids(10), 0);
    window.pass(window.stuck());
    window.accept(ids(11), 0);
    OffsetWindow.Remaining left = window.awaitFinished(System.nanoTime());
    assertEquals(1, left.inWindow());
    assertEquals(1, left.inSpill());
    assertEquals(11, left.offset());

    Thread finisher =
        new Thread(
            () -> {
              window.finished(10);
              window.finished(11);
            });
    finisher.start();
    OffsetWindow.Remaining none =
        window.awaitFinished(System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
    finisher.join();
    assertEquals(0, none.inWindow());
    assertEquals(0, none.inSpill());
  }
}
