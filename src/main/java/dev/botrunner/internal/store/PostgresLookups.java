package dev.botrunner.internal.store;

import dev.botrunner.internal.propagation.OwnPipeline;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The two lookups of {@link PostgresSessionStore} that every update makes (its session, whether it
 * was processed), on the pool's own Vert.x futures rather than the Mutiny client: with context
 * propagation in the application every Mutiny operator costs a context lookup (see {@link
 * OwnPipeline}). Same statements, deadline and failures as the store's {@code Uni} forms.
 */
final class PostgresLookups {

  private final Pool pool;
  private final long botId;

  PostgresLookups(Pool pool, long botId) {
    this.pool = pool;
    this.botId = botId;
  }

  CompletableFuture<StoredSession> read(String key) {
    return statement(
        SessionSql.READ,
        Tuple.of(botId, key),
        "reading session " + key,
        rows -> {
          Iterator<Row> it = rows.iterator();
          if (!it.hasNext()) {
            return null;
          }
          Row row = it.next();
          return new StoredSession(row.getString("data"), row.getLong("version"));
        });
  }

  CompletableFuture<Boolean> isProcessed(int updateId) {
    return statement(
        SessionSql.IS_PROCESSED,
        Tuple.of(botId, (long) updateId),
        "looking up processed update " + updateId,
        rows -> rows.iterator().hasNext());
  }

  /** One statement, failed as unreachable after the store's statement deadline. */
  private <T> CompletableFuture<T> statement(
      String sql, Tuple args, String what, Function<RowSet<Row>, T> read) {
    CompletableFuture<T> result = new CompletableFuture<>();
    pool.preparedQuery(sql)
        .execute(args)
        .onComplete(
            done -> {
              if (done.failed()) {
                result.completeExceptionally(PostgresSessionStore.unavailable(what, done.cause()));
                return;
              }
              try {
                result.complete(read.apply(done.result()));
              } catch (RuntimeException e) {
                result.completeExceptionally(PostgresSessionStore.unavailable(what, e));
              }
            });
    long deadline = PostgresSessionStore.STATEMENT_DEADLINE.toMillis();
    return result
        .orTimeout(deadline, TimeUnit.MILLISECONDS)
        .exceptionallyCompose(
            failure ->
                CompletableFuture.failedFuture(
                    failure instanceof TimeoutException
                        ? PostgresSessionStore.unavailable(
                            what,
                            new TimeoutException(
                                "no answer within "
                                    + PostgresSessionStore.STATEMENT_DEADLINE.toSeconds()
                                    + " s"))
                        : OwnPipeline.unwrap(failure)));
  }
}
