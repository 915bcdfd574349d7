package dev.botrunner.internal.unit;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.Arrays;

/** {@link UnitStatements} on the reactive SQL connection that holds the unit's transaction. */
final class SqlStatements implements UnitStatements {

  private final SqlConnection client;

  SqlStatements(SqlConnection client) {
    this.client = client;
  }

  /** The connection that holds the transaction, for the bot's own statements. */
  SqlConnection connection() {
    return client;
  }

  @Override
  public Uni<Integer> execute(String sql, Object... params) {
    return client
        .preparedQuery(sql)
        .execute(Tuple.from(Arrays.asList(params)))
        .map(rows -> rows.rowCount());
  }

  @Override
  public Uni<Object[]> first(String sql, Object... params) {
    return client
        .preparedQuery(sql)
        .execute(Tuple.from(Arrays.asList(params)))
        .map(
            rows -> {
              RowIterator<Row> it = rows.iterator();
              if (!it.hasNext()) {
                return null;
              }
              Row row = it.next();
              Object[] columns = new Object[row.size()];
              for (int i = 0; i < columns.length; i++) {
                columns[i] = row.getValue(i);
              }
              return columns;
            });
  }
}
