package dev.botrunner.internal.polling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.internal.store.PendingUpdates;
import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.GetUpdatesCall;
import dev.botrunner.testkit.Updates;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * The order of the durable fetch: a fetched batch is saved first, and only a poll after the save
 * committed confirms it (its offset passes the batch); a failed save confirms nothing, Telegram
 * sends the batch again, and the next save that succeeds confirms it. The store's saves are
 * completed by the test, so each step is seen before the next one may happen.
 */
class SaveThenConfirmTest {

  private static final Duration GUARD = Duration.ofSeconds(30);

  /** A durable store whose every save completes when the test says so. */
  private static final class HeldSaves implements PendingUpdates {
    final BlockingQueue<CompletableFuture<Void>> saves = new LinkedBlockingQueue<>();
    final BlockingQueue<List<Integer>> savedIds = new LinkedBlockingQueue<>();

    @Override
    public boolean durable() {
      return true;
    }

    @Override
    public Uni<Void> save(List<Update> updates) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      savedIds.add(updates.stream().map(Update::getUpdateId).toList());
      saves.add(done);
      return Uni.createFrom().completionStage(done);
    }

    @Override
    public Uni<Void> remove(int updateId) {
      return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<List<Update>> loadAll() {
      return Uni.createFrom().item(List.of());
    }

    CompletableFuture<Void> nextSave() throws InterruptedException {
      CompletableFuture<Void> save = saves.poll(GUARD.toSeconds(), TimeUnit.SECONDS);
      assertNotNull(save, "a save was asked for");
      return save;
    }
  }

  @Test
  void aBatchIsConfirmedOnlyByThePollAfterItsSaveCommitted() throws Exception {
    List<Update> batch = Updates.sequence(40_000).textsOverChats(5, 100, 5);
    int first = batch.get(0).getUpdateId();
    int last = batch.get(4).getUpdateId();
    HeldSaves store = new HeldSaves();
    CountDownLatch release = new CountDownLatch(1);
    try (FakeBotApi fake = FakeBotApi.start();
        Pipeline pipeline =
            Pipeline.with(fake)
                .bot(bot -> bot.use(ctx -> release.await()))
                .poller(poller -> poller.pendingUpdates(store))
                .build()) {
      fake.enqueue(batch);
      pipeline.start();

      CompletableFuture<Void> save = store.nextSave();
      assertEquals(ids(batch), store.savedIds.take(), "the unfinished batch, in one save");
      // The loop waits for the save: the one poll so far fetched the batch and confirmed nothing.
      assertEquals(1, fake.getUpdatesCalls().size());
      assertEquals(first, pipeline.poller.offset(), "the offset has not passed the batch");
      assertEquals(5, fake.pendingUpdates());

      save.complete(null);
      assertTrue(fake.awaitCalls("getUpdates", 2, GUARD));
      assertEquals((long) last + 1, fake.getUpdatesCalls().get(1).offset(), "confirms the batch");

      release.countDown();
      assertEquals(0, pipeline.poller.drain(GUARD));
      assertEquals(0, fake.pendingUpdates());
      for (Update update : batch) {
        assertEquals(1, fake.deliveries(update.getUpdateId()), "fetched once: " + update);
      }
    }
  }

  @Test
  void aFailedSaveConfirmsNothingAndTheBatchIsConfirmedOnceASaveSucceeds() throws Exception {
    List<Update> batch = Updates.sequence(41_000).textsOverChats(5, 200, 5);
    int first = batch.get(0).getUpdateId();
    int last = batch.get(4).getUpdateId();
    HeldSaves store = new HeldSaves();
    CountDownLatch release = new CountDownLatch(1);
    try (FakeBotApi fake = FakeBotApi.start();
        Pipeline pipeline =
            Pipeline.with(fake)
                .bot(bot -> bot.use(ctx -> release.await()))
                .poller(poller -> poller.pendingUpdates(store))
                .build()) {
      fake.enqueue(batch);
      pipeline.start();

      store.nextSave().completeExceptionally(new IllegalStateException("database down"));
      // The loop goes on by the watermark: the next poll re-fetches the unconfirmed batch.
      assertTrue(fake.awaitCalls("getUpdates", 2, GUARD));
      assertEquals((long) first, fake.getUpdatesCalls().get(1).offset(), "not confirmed");

      CompletableFuture<Void> retry = store.nextSave(); // after Spill.SAVE_RETRY
      assertEquals(ids(batch), store.savedIds.poll(GUARD.toSeconds(), TimeUnit.SECONDS));
      // The loop waits for the save; every poll so far sent the watermark.
      List<GetUpdatesCall> before = fake.getUpdatesCalls();
      for (GetUpdatesCall call : before) {
        assertTrue(
            call.offset() == null || call.offset() <= first, "confirmed early: " + call.offset());
      }
      assertEquals(5, fake.pendingUpdates());
      assertTrue(fake.deliveries(first) >= 2, "sent again while unconfirmed");

      retry.complete(null);
      assertTrue(fake.awaitCalls("getUpdates", before.size() + 1, GUARD));
      assertEquals(
          (long) last + 1, fake.getUpdatesCalls().get(before.size()).offset(), "confirmed now");
      release.countDown();
      assertEquals(0, pipeline.poller.drain(GUARD));
    }
  }

  private static List<Integer> ids(List<Update> updates) {
    return updates.stream().map(Update::getUpdateId).toList();
  }
}
