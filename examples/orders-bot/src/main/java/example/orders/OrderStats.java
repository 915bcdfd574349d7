package example.orders;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The chat's session: botrunner keeps it in PostgreSQL, versioned, next to the orders. */
@RegisterForReflection
public class OrderStats {

  /** Orders this chat has placed. */
  public int placed;
}
