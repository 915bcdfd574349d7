package dev.botrunner.internal.unit;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.Arrays;

/** {@link UnitStatements} on the reactive SQL connection that holds the unit's transaction. */
final class SqlStatements implements UnitStatements {

  private final SqlClient client;

  SqlStatements(SqlClient client) {
    this.client = client;
  }

  @Override
  public Uni<Integer> execute(String sql, Object... params) {
    return client
        .preparedQuery(sql)
        .execute(Tuple.from(Arrays.asList(params)))
        .map(rows -> rows.rowCount());
  }
}
