package dev.botrunner.internal.unit;

import dev.botrunner.TelegramApiException;
import dev.botrunner.internal.client.StoredCall;
import dev.botrunner.internal.client.TelegramClient;
import dev.botrunner.internal.propagation.OwnPipeline;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The outbox of units of work ({@code bot_outbox}): the Bot API calls an update made inside its
 * unit are inserted in the unit's transaction, so they exist exactly when the update's writes
 * committed. The process that committed them sends them at once, in order, and deletes each once
 * sent; a process that dies first leaves them to {@link #sweep}, which claims rows whose lease
 * ended (another replica's, or this process's before a restart) and sends them: at least once,
 * never lost, never for a unit that rolled back.
 */
final class Outbox {

  private static final Logger LOG = Logger.getLogger(Outbox.class);

  /**
   * The default of {@code BOT_OUTBOX_LEASE}: how long the committing process has to send its calls
   * before a sweep may take them over. Longer than a call's retries take in practice; a call still
   * being sent when it ends may go twice (the guarantee is at least once).
   */
  static final Duration LEASE = Duration.ofSeconds(60);

  /** Updates whose calls a sweep claims per statement. */
  static final int SWEEP_BATCH = 100;

  private static final String INSERT =
      "INSERT INTO bot_outbox (bot_id, update_id, seq, method, body, lease_until)"
          + " VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => CAST($6 AS float8)))";

  private static final String DELETE =
      "DELETE FROM bot_outbox WHERE bot_id = $1 AND update_id = $2 AND seq = $3";

  // Claims whole updates whose lease ended: the calls of one update must go out in order from one
  // sweep, so an update is claimed by locking its first remaining call (SKIP LOCKED keeps two
  // replicas' sweeps off the same update), and all its calls get the new lease together. Claiming
  // rows one by one let two sweeps split an update and send its later call first.
  private static final String CLAIM =
      "UPDATE bot_outbox SET lease_until = now() + make_interval(secs => $2::float8)"
          + " WHERE bot_id = $1 AND update_id IN (SELECT h.update_id FROM bot_outbox h"
          + " WHERE h.bot_id = $1 AND h.lease_until < now()"
          + " AND h.seq = (SELECT min(f.seq) FROM bot_outbox f"
          + " WHERE f.bot_id = $1 AND f.update_id = h.update_id)"
          + " ORDER BY h.update_id LIMIT "
          + SWEEP_BATCH
          + " FOR UPDATE SKIP LOCKED) RETURNING update_id, seq, method, body";

  private final Pool pool;
  private final long botId;
  private final TelegramClient api;
  private final double leaseSeconds;

  Outbox(Pool pool, long botId, TelegramClient api, Duration lease) {
    this.pool = pool;
    this.botId = botId;
    this.api = api;
    this.leaseSeconds = lease.toMillis() / 1000.0;
  }

  /** Inserts an update's calls, in the order they were made, into the unit's transaction. */
  Uni<Void> insert(UnitStatements statements, int updateId, List<StoredCall> calls) {
    Uni<Void> done = Uni.createFrom().voidItem();
    for (int i = 0; i < calls.size(); i++) {
      StoredCall call = calls.get(i);
      int seq = i;
      done =
          done.chain(
              () ->
                  statements
                      .execute(
                          INSERT,
                          botId,
                          (long) updateId,
                          seq,
                          call.method(),
                          call.json(),
                          leaseSeconds)
                      .replaceWithVoid());
    }
    return done;
  }

  /**
   * Sends an update's committed calls in order, each deleted once sent. Never fails: a call that
   * could not be sent is logged and stays for the sweep, unless Telegram refused it (it would
   * refuse it again).
   */
  Uni<Void> send(int updateId, List<StoredCall> calls) {
    return OwnPipeline.run(
        () -> {
          Uni<Void> done = Uni.createFrom().voidItem();
          for (int i = 0; i < calls.size(); i++) {
            StoredCall call = calls.get(i);
            int seq = i;
            done = done.chain(() -> sendOne(updateId, seq, call));
          }
          return done;
        });
  }

  private Uni<Void> sendOne(long updateId, int seq, StoredCall call) {
    return api.callStored(call)
        .onItemOrFailure()
        .transformToUni(
            (ok, failure) -> {
              if (failure != null && !(failure instanceof TelegramApiException)) {
                LOG.warnf(
                    "update %d: %s from its unit of work not sent (%s); the outbox sweep sends it"
                        + " later",
                    updateId, call.method(), failure.getMessage());
                return Uni.createFrom().voidItem();
              }
              if (failure != null) {
                LOG.warnf(
                    "update %d: %s from its unit of work refused: %s",
                    updateId, call.method(), failure.getMessage());
              }
              return pool.preparedQuery(DELETE)
                  .execute(Tuple.of(botId, updateId, seq))
                  .replaceWithVoid()
                  .onFailure()
                  .recoverWithUni(
                      e -> {
                        // Sent but not deleted: the sweep sends it again (at least once).
                        LOG.warnf(
                            "update %d: deleting a sent outbox row failed: %s",
                            updateId, e.getMessage());
                        return Uni.createFrom().voidItem();
                      });
            });
  }

  /**
   * Claims the calls of updates whose lease ended and sends them, each update's in order, a batch
   * of updates at a time, until a batch comes back short.
   *
   * @return how many calls were claimed
   */
  Uni<Long> sweep() {
    return OwnPipeline.run(() -> sweepFrom(0));
  }

  private Uni<Long> sweepFrom(long soFar) {
    return pool.preparedQuery(CLAIM)
        .execute(Tuple.of(botId, leaseSeconds))
        .flatMap(
            rows -> {
              List<Row> claimed = new ArrayList<>();
              rows.forEach(claimed::add);
              // RETURNING gives no order: the calls of an update go in the order they were made.
              claimed.sort(
                  (a, b) -> {
                    int byUpdate = Long.compare(a.getLong("update_id"), b.getLong("update_id"));
                    return byUpdate != 0
                        ? byUpdate
                        : Integer.compare(a.getInteger("seq"), b.getInteger("seq"));
                  });
              return Multi.createFrom()
                  .iterable(claimed)
                  .onItem()
                  .transformToUniAndConcatenate(
                      row ->
                          sendOne(
                              row.getLong("update_id"),
                              row.getInteger("seq"),
                              new StoredCall(row.getString("method"), row.getString("body"))))
                  .collect()
                  .last()
                  .flatMap(
                      ignored -> {
                        long total = soFar + claimed.size();
                        long updates =
                            claimed.stream()
                                .map(row -> row.getLong("update_id"))
                                .distinct()
                                .count();
                        return updates < SWEEP_BATCH
                            ? Uni.createFrom().item(total)
                            : sweepFrom(total);
                      });
            });
  }
}
