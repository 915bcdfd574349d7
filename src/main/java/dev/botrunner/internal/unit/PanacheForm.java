package dev.botrunner.internal.unit;

import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;

/**
 * The Panache form of a unit of work, as the rest of botrunner sees it: an interface, so that
 * nothing but its one implementation ({@code PanacheUnit}) names Hibernate Reactive or Panache,
 * which are optional. The implementation is loaded by name ({@link PanacheForms}); a native image
 * contains it only when the application has Panache (registered by botrunner's feature), so an
 * image without Panache, built with {@code --link-at-build-time} as Quarkus builds them, never
 * meets the missing types.
 */
interface PanacheForm {

  /**
   * @param work code to run in the Panache transaction of the current Vert.x context, which it
   *     joins if one is open
   * @param <T> the result type
   * @return its result; the transaction commits when the outermost work succeeds
   */
  <T> Uni<T> transaction(Supplier<Uni<T>> work);

  /**
   * @return botrunner's statements on the open transaction's Hibernate session
   */
  Uni<UnitStatements> statements();
}
