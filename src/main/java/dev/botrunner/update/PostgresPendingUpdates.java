package dev.botrunner.update;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.botrunner.config.BotId;
import dev.botrunner.telegram.BotJson;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Spilled updates in PostgreSQL's {@code bot_pending_update} table, one bot's rows ({@link BotId}):
 * bots sharing the table have overlapping update ids.
 */
public final class PostgresPendingUpdates implements PendingUpdates {

  private static final String SAVE =
      "INSERT INTO bot_pending_update (bot_id, update_id, data, received_at)"
          + " VALUES ($1, $2, $3::text::jsonb, now()) ON CONFLICT (bot_id, update_id) DO NOTHING";

  private static final String REMOVE =
      "DELETE FROM bot_pending_update WHERE bot_id = $1 AND update_id = $2";

  private static final String LOAD =
      "SELECT data::text AS data FROM bot_pending_update WHERE bot_id = $1 ORDER BY update_id";

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
    List<Tuple> rows = new ArrayList<>(updates.size());
    for (Update update : updates) {
      try {
        rows.add(
            Tuple.of(
                botId, (long) update.getUpdateId(), BotJson.MAPPER.writeValueAsString(update)));
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }
    return pool.preparedQuery(SAVE).executeBatch(rows).replaceWithVoid();
  }

  @Override
  public Uni<Void> remove(int updateId) {
    return pool.preparedQuery(REMOVE).execute(Tuple.of(botId, (long) updateId)).replaceWithVoid();
  }

  @Override
  public Uni<List<Update>> loadAll() {
    return pool.preparedQuery(LOAD)
        .execute(Tuple.of(botId))
        .map(
            rows -> {
              List<Update> updates = new ArrayList<>();
              for (Row row : rows) {
                try {
                  updates.add(BotJson.MAPPER.readValue(row.getString("data"), Update.class));
                } catch (JsonProcessingException e) {
                  throw new UncheckedIOException(e);
                }
              }
              return updates;
            });
  }
}
