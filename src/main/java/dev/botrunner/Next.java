package dev.botrunner;

import io.smallrye.mutiny.Uni;

/** The middleware after the current one. */
@FunctionalInterface
public interface Next {

  /** A next that does nothing: the end of the chain. */
  Next END = () -> Uni.createFrom().voidItem();

  /**
   * @return completion of the rest of the chain for this update
   */
  Uni<Void> proceed();
}
