package dev.botrunner.internal.store;

import dev.botrunner.internal.config.BotId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The rows written before state was kept per bot ({@code bot_id} {@value BotId#UNCLAIMED} after the
 * per-bot migration), taken over once by the first bot that starts on the migrated database.
 */
public final class UnclaimedRows {

  /** First key of the claim's advisory lock ("bclm"), outside the poller locks' range. */
  static final int CLAIM_LOCK_NAMESPACE = 0x62636c6d;

  // One claimer at a time (two-key advisory lock, transaction-scoped), so that every unclaimed
  // row goes to the same bot even when several bots start together.
  private static final String CLAIM_LOCK =
      "SELECT pg_advisory_xact_lock(" + CLAIM_LOCK_NAMESPACE + ", 0)";

  // A row of the claiming bot with the same key would make the claim fail on the primary key;
  // such an unclaimed row is left alone (it can only come from a writer that ignored bot ids).
  private static final String CLAIM_SESSIONS =
      "UPDATE bot_session u SET bot_id = $1 WHERE u.bot_id = "
          + BotId.UNCLAIMED
          + " AND NOT EXISTS (SELECT 1 FROM bot_session o WHERE o.bot_id = $1 AND o.key = u.key)";

  private static final String CLAIM_PROCESSED =
      "UPDATE bot_processed_update u SET bot_id = $1 WHERE u.bot_id = "
          + BotId.UNCLAIMED
          + " AND NOT EXISTS (SELECT 1 FROM bot_processed_update o"
          + " WHERE o.bot_id = $1 AND o.update_id = u.update_id)";

  private static final String CLAIM_PENDING =
      "UPDATE bot_pending_update u SET bot_id = $1 WHERE u.bot_id = "
          + BotId.UNCLAIMED
          + " AND NOT EXISTS (SELECT 1 FROM bot_pending_update o"
          + " WHERE o.bot_id = $1 AND o.update_id = u.update_id)";

  /**
   * Rows written before state was kept per bot, now owned by this store's bot.
   *
   * @param sessions sessions claimed
   * @param processed processed update ids claimed
   * @param pending spilled updates claimed
   */
  public record Claimed(long sessions, long processed, long pending) {
    /**
     * @return whether any row was claimed
     */
    public boolean any() {
      return sessions + processed + pending > 0;
    }
  }

  private final Pool pool;
  private final long botId;

  /**
   * @param pool the database
   * @param botId the claiming bot's id
   */
  public UnclaimedRows(Pool pool, long botId) {
    this.pool = pool;
    this.botId = botId;
  }

  /**
   * Takes over the rows written before state was kept per bot ({@code bot_id} {@value
   * BotId#UNCLAIMED} after the migration) for the bot: sessions, processed update ids and spilled
   * updates, in one transaction. Called at startup after the migrations and before any update runs.
   * The first bot to call it gets all of them; later calls, by any bot, find none.
   *
   * @return how many rows were claimed
   */
  public Uni<Claimed> claim() {
    return pool.withTransaction(
        conn ->
            conn.query(CLAIM_LOCK)
                .execute()
                .chain(() -> conn.preparedQuery(CLAIM_SESSIONS).execute(Tuple.of(botId)))
                .chain(
                    sessions ->
                        conn.preparedQuery(CLAIM_PROCESSED)
                            .execute(Tuple.of(botId))
                            .chain(
                                processed ->
                                    conn.preparedQuery(CLAIM_PENDING)
                                        .execute(Tuple.of(botId))
                                        .map(
                                            pending ->
                                                new Claimed(
                                                    sessions.rowCount(),
                                                    processed.rowCount(),
                                                    pending.rowCount())))));
  }
}
