package dev.botrunner.internal.unit;

import io.smallrye.mutiny.Uni;

/**
 * botrunner's own statements inside an open unit's transaction, whichever client opened it (the
 * reactive SQL pool, or Hibernate Reactive for the Panache form): so the session write, the
 * processed mark and the outbox rows are the same SQL in both.
 */
interface UnitStatements {

  /**
   * @param sql a statement with positional parameters {@code $1, $2, ...}
   * @param params the parameters, none null
   * @return the number of rows it changed
   */
  Uni<Integer> execute(String sql, Object... params);

  /**
   * @param sql a query with positional parameters {@code $1, $2, ...}
   * @param params the parameters, none null
   * @return the first row's columns, or a null item when there is none
   */
  Uni<Object[]> first(String sql, Object... params);
}
