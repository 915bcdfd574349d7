package dev.botrunner.internal.unit;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The Panache form of a unit of work ({@link PanacheForm}). The only class of botrunner that names
 * Hibernate Reactive or Panache, which are optional: {@link PanacheForms} loads it by name, and its
 * constructor fails to link when they are missing.
 */
final class PanacheUnit implements PanacheForm {

  /** Fails with {@link NoClassDefFoundError} when the application has no Panache. */
  PanacheUnit() {
    if (Panache.class.getName() == null) {
      throw new IllegalStateException("unreachable: a class always has a name");
    }
  }

  @Override
  public <T> Uni<T> transaction(Supplier<Uni<T>> work) {
    return Panache.withTransaction(work);
  }

  @Override
  public Uni<UnitStatements> statements() {
    return Panache.getSession().map(HibernateStatements::new);
  }

  /** Native statements on a Hibernate Reactive session; parameters become {@code ?1, ?2, ...}. */
  private record HibernateStatements(Mutiny.Session session) implements UnitStatements {
    @Override
    public Uni<Integer> execute(String sql, Object... params) {
      Mutiny.MutationQuery query =
          session.createNativeMutationQuery(sql.replaceAll("\\$(\\d+)", "?$1"));
      for (int i = 0; i < params.length; i++) {
        query.setParameter(i + 1, params[i]);
      }
      return query.executeUpdate();
    }

    @Override
    public Uni<Object[]> first(String sql, Object... params) {
      Mutiny.Query<Object> query = session.createNativeQuery(sql.replaceAll("\\$(\\d+)", "?$1"));
      for (int i = 0; i < params.length; i++) {
        query.setParameter(i + 1, params[i]);
      }
      return query.getResultList().map(rows -> rows.isEmpty() ? null : columns(rows.get(0)));
    }

    private static Object[] columns(Object row) {
      return row instanceof Object[] many ? many : new Object[] {row};
    }
  }
}
