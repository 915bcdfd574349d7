package dev.botrunner.internal.store;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Where updates are kept that were confirmed to Telegram before they finished: with a durable store
 * the unfinished updates of every batch the polling loop fetched (see {@code LongPoller}), with the
 * memory store the polling loop's "spill" of updates that held the offset back too long ({@code
 * Spill}), and webhook updates answered 200 at {@code BOT_WEBHOOK_TIMEOUT} (see {@code
 * WebhookLeases}). A durable implementation keeps at-least-once delivery for them: they are saved
 * before Telegram is told, removed when they finish, and run again by the next process. The memory
 * implementation keeps nothing: a crash loses them.
 *
 * <p>Webhook rows carry a lease because several replicas serve one bot at once: the process that
 * saved a row renews its lease while it lives, and only a row whose lease ended is claimed by
 * another process. Polling rows have no lease; only the poller (one per bot) loads them.
 */
public interface PendingUpdates {

  /** Keeps nothing: spilled updates live only in this process's memory. */
  PendingUpdates MEMORY =
      new PendingUpdates() {
        @Override
        public boolean durable() {
          return false;
        }

        @Override
        public Uni<Void> save(List<Update> updates) {
          return Uni.createFrom().voidItem();
        }

        @Override
        public Uni<Void> remove(int updateId) {
          return Uni.createFrom().voidItem();
        }

        @Override
        public Uni<Void> removeAll(List<Integer> updateIds) {
          return Uni.createFrom().voidItem();
        }

        @Override
        public Uni<List<Update>> loadAll() {
          return Uni.createFrom().item(List.of());
        }
      };

  /**
   * @return whether saved updates survive a crash of this process
   */
  boolean durable();

  /**
   * Saves updates, all or none; ones already saved are left as they are. A durable store does it in
   * one statement, as the polling loop saves every batch it fetched before confirming it.
   *
   * @param updates updates about to be confirmed to Telegram before they finished
   * @return completes when they are stored
   */
  Uni<Void> save(List<Update> updates);

  /**
   * @param updateId a saved update that finished
   * @return completion
   */
  Uni<Void> remove(int updateId);

  /**
   * Removes many saved updates that finished; a durable store does it in one statement.
   *
   * @param updateIds saved updates that finished
   * @return completion
   */
  default Uni<Void> removeAll(List<Integer> updateIds) {
    return Multi.createFrom()
        .iterable(updateIds)
        .onItem()
        .transformToUniAndConcatenate(this::remove)
        .collect()
        .last()
        .replaceWithVoid();
  }

  /**
   * @return every saved update, oldest first (left by an earlier process)
   */
  Uni<List<Update>> loadAll();

  /**
   * Saves one update under a lease held by {@code owner}.
   *
   * @param update an update about to be answered 200 before it finished
   * @param owner this process
   * @param lease how long the row stays this process's without a renewal
   * @return completes when it is stored
   */
  default Uni<Void> hold(Update update, String owner, Duration lease) {
    return save(List.of(update));
  }

  /**
   * Extends the lease of every row {@code owner} holds.
   *
   * @param owner this process
   * @param lease the new lease, from now
   * @return completion
   */
  default Uni<Void> renew(String owner, Duration lease) {
    return Uni.createFrom().voidItem();
  }

  /**
   * Takes over the rows whose lease ended (their process died, or stopped renewing), and rows
   * without a lease saved longer than {@code lease} ago; the same statement gives them to {@code
   * owner} with a new lease, so two processes never claim one row at the same moment.
   *
   * @param owner this process
   * @param lease the lease of the claimed rows, from now
   * @return the claimed updates, lowest id first
   */
  default Uni<List<Update>> claimExpired(String owner, Duration lease) {
    return Uni.createFrom().item(List.of());
  }

  /**
   * Ends the leases {@code owner} holds now, so that the next process claims the rows at once;
   * called when this process stops with updates unfinished.
   *
   * @param owner this process
   * @return completion
   */
  default Uni<Void> release(String owner) {
    return Uni.createFrom().voidItem();
  }
}
