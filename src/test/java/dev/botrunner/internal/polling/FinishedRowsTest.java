package dev.botrunner.internal.polling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.internal.store.PendingUpdates;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * The batched removal of finished updates' rows: a full batch goes out at once in one delete, a
 * smaller one after {@link FinishedRows#DELAY}, one delete at a time, a failed one again later, and
 * a graceful stop removes what is held.
 */
class FinishedRowsTest {

  private static final Duration GUARD = Duration.ofSeconds(30);

  /** Records each removeAll and completes it when the test says so. */
  private static final class HeldDeletes implements PendingUpdates {
    final BlockingQueue<List<Integer>> batches = new LinkedBlockingQueue<>();
    final BlockingQueue<CompletableFuture<Void>> results = new LinkedBlockingQueue<>();

    @Override
    public boolean durable() {
      return true;
    }

    @Override
    public Uni<Void> save(List<Update> updates) {
      return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> remove(int updateId) {
      throw new AssertionError("one delete per row");
    }

    @Override
    public Uni<Void> removeAll(List<Integer> updateIds) {
      CompletableFuture<Void> result = new CompletableFuture<>();
      batches.add(List.copyOf(updateIds));
      results.add(result);
      return Uni.createFrom().completionStage(result);
    }

    @Override
    public Uni<List<Update>> loadAll() {
      return Uni.createFrom().item(List.of());
    }

    List<Integer> nextBatch() throws InterruptedException {
      List<Integer> batch = batches.poll(GUARD.toSeconds(), TimeUnit.SECONDS);
      assertNotNull(batch, "a delete went out");
      return batch;
    }

    CompletableFuture<Void> nextResult() throws InterruptedException {
      return results.poll(GUARD.toSeconds(), TimeUnit.SECONDS);
    }
  }

  private static List<Integer> range(int from, int to) {
    return IntStream.range(from, to).boxed().toList();
  }

  @Test
  void aFullBatchGoesOutAtOnceInOneDeleteAndTheRestAfterTheDelay() throws Exception {
    HeldDeletes store = new HeldDeletes();
    FinishedRows rows = new FinishedRows(store);
    range(0, FinishedRows.BATCH).forEach(rows::add);
    assertEquals(range(0, FinishedRows.BATCH), store.nextBatch(), "one statement for the batch");

    // While that delete is under way, more finish: they wait for it, then for the delay.
    long added = System.nanoTime();
    range(100, 105).forEach(rows::add);
    assertEquals(Set.copyOf(range(0, 105)), rows.ids(), "in delete or held");
    store.nextResult().complete(null);
    assertEquals(range(100, 105), store.nextBatch());
    assertTrue(
        System.nanoTime() - added >= FinishedRows.DELAY.toNanos(), "a small batch waits its turn");
    store.nextResult().complete(null);
    rows.close();
  }

  @Test
  void aFailedDeleteIsTriedAgainWithWhatFinishedMeanwhile() throws Exception {
    HeldDeletes store = new HeldDeletes();
    FinishedRows rows = new FinishedRows(store);
    range(0, FinishedRows.BATCH).forEach(rows::add);
    store.nextBatch();
    rows.add(500);
    store.nextResult().completeExceptionally(new IllegalStateException("database down"));

    List<Integer> retried = store.nextBatch();
    List<Integer> expected = new ArrayList<>(range(0, FinishedRows.BATCH));
    expected.add(500);
    assertEquals(expected, retried, "nothing lost, still one statement");
    store.nextResult().complete(null);
    rows.close();
  }

  @Test
  void aGracefulStopRemovesWhatIsHeldAndNothingAfter() throws Exception {
    HeldDeletes store = new HeldDeletes();
    FinishedRows rows = new FinishedRows(store);
    rows.add(1);
    rows.add(2);
    CompletableFuture<Void> flushed = CompletableFuture.runAsync(() -> rows.flushAndClose(GUARD));
    assertEquals(List.of(1, 2), store.nextBatch(), "without waiting for the delay");
    store.nextResult().complete(null);
    flushed.get(GUARD.toSeconds(), TimeUnit.SECONDS);

    rows.add(3); // an update that ends after the stop: its row stays for the next start
    assertEquals(Set.of(), rows.ids());
  }
}
