package dev.botrunner.internal.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.botrunner.internal.client.BotJson;
import dev.botrunner.internal.config.BotId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Pending updates in PostgreSQL's {@code bot_pending_update} table, one bot's rows ({@link BotId}):
 * bots sharing the table have overlapping update ids. Leases are timed by the database's clock
 * ({@code now()}), so the replicas' clocks need not agree.
 */
public final class PostgresPendingUpdates implements PendingUpdates {

  // One statement for a whole batch: the polling loop saves every batch it fetched, so a
  // round-trip per row would be on the loop's path once per update.
  private static final String SAVE =
      "INSERT INTO bot_pending_update (bot_id, update_id, data, received_at)"
          + " SELECT $1, u.update_id, u.data::jsonb, now()"
          + " FROM unnest($2::bigint[], $3::text[]) AS u(update_id, data)"
          + " ON CONFLICT (bot_id, update_id) DO NOTHING";

  private static final String REMOVE =
      "DELETE FROM bot_pending_update WHERE bot_id = $1 AND update_id = $2";

  private static final String REMOVE_ALL =
      "DELETE FROM bot_pending_update WHERE bot_id = $1 AND update_id = ANY($2::bigint[])";

  private static final String LOAD =
      "SELECT data::text AS data FROM bot_pending_update WHERE bot_id = $1 ORDER BY update_id";

  private static final String HOLD =
      "INSERT INTO bot_pending_update (bot_id, update_id, data, received_at, owner, lease_until)"
          + " VALUES ($1, $2, $3::text::jsonb, now(), $4, now() + $5 * interval '1 millisecond')"
          + " ON CONFLICT (bot_id, update_id) DO UPDATE"
          + " SET owner = EXCLUDED.owner, lease_until = EXCLUDED.lease_until";

  private static final String RENEW =
      "UPDATE bot_pending_update SET lease_until = now() + $3 * interval '1 millisecond'"
          + " WHERE bot_id = $1 AND owner = $2";

  // Row locks make this safe between replicas: a second claimer waits for the first one's commit,
  // then sees the new lease and skips the row.
  private static final String CLAIM =
      "UPDATE bot_pending_update"
          + " SET owner = $2, lease_until = now() + $3 * interval '1 millisecond'"
          + " WHERE bot_id = $1"
          + " AND coalesce(lease_until, received_at + $3 * interval '1 millisecond') < now()"
          + " RETURNING update_id, data::text AS data";

  private static final String RELEASE =
      "UPDATE bot_pending_update SET lease_until = now() WHERE bot_id = $1 AND owner = $2";

  private final Pool pool;
  private final long botId;

  /**
   * @param pool the database of the session store
   * @param bot the bot whose updates these are
   */
  public PostgresPendingUpdates(Pool pool, BotId bot) {
    this.pool = pool;
    this.botId = bot.value();
  }

  @Override
  public boolean durable() {
    return true;
  }

  @Override
  public Uni<Void> save(List<Update> updates) {
    if (updates.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    Long[] ids = new Long[updates.size()];
    String[] data = new String[updates.size()];
    for (int i = 0; i < ids.length; i++) {
      Update update = updates.get(i);
      ids[i] = (long) update.getUpdateId();
      try {
        data[i] = BotJson.MAPPER.writeValueAsString(update);
      } catch (JsonProcessingException e) {
        return Uni.createFrom().failure(new UncheckedIOException(e));
      }
    }
    return pool.preparedQuery(SAVE)
        .execute(Tuple.tuple().addLong(botId).addArrayOfLong(ids).addArrayOfString(data))
        .replaceWithVoid();
  }

  @Override
  public Uni<Void> remove(int updateId) {
    return pool.preparedQuery(REMOVE).execute(Tuple.of(botId, (long) updateId)).replaceWithVoid();
  }

  @Override
  public Uni<Void> removeAll(List<Integer> updateIds) {
    if (updateIds.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    Long[] ids = new Long[updateIds.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = (long) updateIds.get(i);
    }
    return pool.preparedQuery(REMOVE_ALL)
        .execute(Tuple.tuple().addLong(botId).addArrayOfLong(ids))
        .replaceWithVoid();
  }

  @Override
  public Uni<List<Update>> loadAll() {
    return pool.preparedQuery(LOAD).execute(Tuple.of(botId)).map(PostgresPendingUpdates::updates);
  }

  @Override
  public Uni<Void> hold(Update update, String owner, Duration lease) {
    String data;
    try {
      data = BotJson.MAPPER.writeValueAsString(update);
    } catch (JsonProcessingException e) {
      return Uni.createFrom().failure(new UncheckedIOException(e));
    }
    return pool.preparedQuery(HOLD)
        .execute(Tuple.of(botId, (long) update.getUpdateId(), data, owner, lease.toMillis()))
        .replaceWithVoid();
  }

  @Override
  public Uni<Void> renew(String owner, Duration lease) {
    return pool.preparedQuery(RENEW)
        .execute(Tuple.of(botId, owner, lease.toMillis()))
        .replaceWithVoid();
  }

  @Override
  public Uni<List<Update>> claimExpired(String owner, Duration lease) {
    return pool.preparedQuery(CLAIM)
        .execute(Tuple.of(botId, owner, lease.toMillis()))
        .map(
            rows -> {
              List<Update> updates = updates(rows);
              updates.sort(Comparator.comparing(Update::getUpdateId));
              return updates;
            });
  }

  @Override
  public Uni<Void> release(String owner) {
    return pool.preparedQuery(RELEASE).execute(Tuple.of(botId, owner)).replaceWithVoid();
  }

  private static List<Update> updates(Iterable<Row> rows) {
    List<Update> updates = new ArrayList<>();
    for (Row row : rows) {
      try {
        updates.add(BotJson.MAPPER.readValue(row.getString("data"), Update.class));
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }
    return updates;
  }
}
