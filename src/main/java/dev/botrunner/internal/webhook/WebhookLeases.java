package dev.botrunner.internal.webhook;

import dev.botrunner.internal.dispatch.Dispatcher;
import dev.botrunner.internal.store.PendingUpdates;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * The webhook's durable side: updates still running at {@code BOT_WEBHOOK_TIMEOUT} are saved in
 * {@link PendingUpdates} under this process's lease before they are answered 200, and removed when
 * they finish. While the process lives it renews its leases every third of {@code
 * BOT_WEBHOOK_LEASE}; at startup and on the same period it claims the rows whose lease ended (their
 * process died) and runs them again. A live replica's rows are never taken: it keeps renewing them.
 *
 * <p>With the memory store nothing is saved: an update answered at the deadline is lost if the
 * process dies before it finishes.
 */
final class WebhookLeases {

  private static final Logger LOG = Logger.getLogger(WebhookResource.class);

  /** Leases are renewed, and expired ones claimed, this many times per lease. */
  static final int RENEWALS_PER_LEASE = 3;

  private final PendingUpdates store;
  private final Duration lease;
  private final Dispatcher dispatcher;

  /** This process; random, so a restarted process never mistakes a dead one's rows for its own. */
  private final String owner = UUID.randomUUID().toString();

  /** Updates this process saved or claimed and still runs: a claim skips them. */
  private final Set<Integer> held = ConcurrentHashMap.newKeySet();

  private volatile long timer = -1;

  /**
   * @param store where updates answered before they finished are kept
   * @param lease {@code BOT_WEBHOOK_LEASE}
   * @param dispatcher runs claimed updates
   */
  WebhookLeases(PendingUpdates store, Duration lease, Dispatcher dispatcher) {
    this.store = store;
    this.lease = lease;
    this.dispatcher = dispatcher;
  }

  /**
   * @return whether a saved update survives a crash of this process
   */
  boolean durable() {
    return store.durable();
  }

  /**
   * Saves an update that runs past the deadline.
   *
   * @param update the update
   * @return completes once it is stored; fails if it could not be
   */
  CompletionStage<Void> save(Update update) {
    if (!store.durable()) {
      return CompletableFuture.completedFuture(null);
    }
    held.add(update.getUpdateId());
    return store.hold(update, owner, lease).subscribeAsCompletionStage();
  }

  /**
   * Removes a saved update once it finished (its session write and processed mark are done).
   *
   * @param id the update
   * @param saved what {@link #save} returned
   */
  void finished(int id, CompletionStage<Void> saved) {
    saved.whenComplete(
        (ignored, failure) -> {
          if (failure != null) {
            held.remove(id);
            return;
          }
          remove(id);
        });
  }

  private void remove(int id) {
    store
        .remove(id)
        .subscribe()
        .with(
            ignored -> held.remove(id),
            e -> {
              held.remove(id);
              LOG.warnf(
                  "could not remove finished update %d from bot_pending_update (%s): another"
                      + " process runs it again once its lease ends, and skips it there if it was"
                      + " recorded as processed",
                  id, e.getMessage());
            });
  }

  /**
   * Claims what dead processes left at once, then renews and claims every third of the lease.
   *
   * @param vertx for the timer
   * @param draining true while shutting down: nothing is claimed then
   */
  void start(Vertx vertx, BooleanSupplier draining) {
    if (!store.durable()) {
      return;
    }
    claim(draining);
    long period = Math.max(1, lease.toMillis() / RENEWALS_PER_LEASE);
    timer =
        vertx.setPeriodic(
            period,
            ignored -> {
              renew();
              claim(draining);
            });
  }

  /**
   * Stops renewing and hands the rows of updates that did not finish to the next process at once.
   * Blocks up to {@code wait}.
   *
   * @param vertx the timer's owner
   * @param wait how long to wait for the database
   */
  void stop(Vertx vertx, Duration wait) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    if (!store.durable() || held.isEmpty()) {
      return;
    }
    try {
      store.release(owner).await().atMost(wait);
      LOG.infof(
          "%d update(s) answered at the deadline did not finish: saved in bot_pending_update, the"
              + " next process runs them again",
          held.size());
    } catch (RuntimeException e) {
      LOG.warnf(
          "could not release the leases of %d unfinished update(s) (%s): another process runs them"
              + " again once their lease ends",
          held.size(), e.getMessage());
    }
  }

  private void renew() {
    if (held.isEmpty()) {
      return;
    }
    store
        .renew(owner, lease)
        .subscribe()
        .with(
            ignored -> {},
            e ->
                LOG.warnf(
                    "could not renew the lease of %d update(s) in bot_pending_update (%s): if it"
                        + " ends, another process may run them again",
                    held.size(), e.getMessage()));
  }

  private void claim(BooleanSupplier draining) {
    if (draining.getAsBoolean()) {
      return;
    }
    Uni<List<Update>> claimed = store.claimExpired(owner, lease);
    claimed
        .subscribe()
        .with(
            updates -> {
              List<Update> rerun = updates.stream().filter(u -> held.add(u.getUpdateId())).toList();
              if (rerun.isEmpty()) {
                return;
              }
              LOG.infof(
                  "%d update(s) saved by another process before they finished run again (its"
                      + " lease ended)",
                  rerun.size());
              for (Update update : rerun) {
                int id = update.getUpdateId();
                dispatcher.dispatch(update).whenComplete((outcome, failure) -> remove(id));
              }
            },
            e ->
                LOG.warnf(
                    "could not look for updates left in bot_pending_update (%s); looking again in"
                        + " %d ms",
                    e.getMessage(), lease.toMillis() / RENEWALS_PER_LEASE));
  }
}
