package dev.botrunner.internal.unit;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The Panache form of a unit of work. The only class of botrunner that names Hibernate Reactive or
 * Panache, which are optional: it is loaded only when {@link #PRESENT} says they are on the class
 * path, so a host without them never loads it.
 */
final class PanacheUnit {

  /** Whether the application has Hibernate Reactive Panache. */
  static final boolean PRESENT = present();

  private PanacheUnit() {}

  /**
   * A class literal, not {@code Class.forName}: resolved when first run (a host without Panache
   * gets {@link NoClassDefFoundError} here, and only here), and seen by the native image builder
   * without a reflection registration.
   */
  private static boolean present() {
    try {
      return Panache.class.getName() != null;
    } catch (LinkageError e) {
      return false;
    }
  }

  /**
   * @param work code to run in the Panache transaction of the current Vert.x context, which it
   *     joins if one is open
   * @param <T> the result type
   * @return its result; the transaction commits when the outermost work succeeds
   */
  static <T> Uni<T> transaction(Supplier<Uni<T>> work) {
    return Panache.withTransaction(work);
  }

  /**
   * @return botrunner's statements on the open transaction's Hibernate session
   */
  static Uni<UnitStatements> statements() {
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
