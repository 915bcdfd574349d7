package dev.botrunner.internal.store;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * The session store could not be reached or refused a statement (not a version conflict). {@link
 * #unreachable()} tells the two apart: an unreachable store (connection refused or lost, server
 * shutting down, no pooled connection in time) is a transient fault the update waits out, while a
 * refused statement is an error in the update.
 */
public final class SessionStoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * SQLSTATEs of a server that is going away or not yet accepting work: admin shutdown, crash
   * shutdown, cannot connect now. Class 08 (connection exception) is matched by prefix.
   */
  private static final Set<String> SERVER_GOING_AWAY = Set.of("57P01", "57P02", "57P03");

  private final boolean unreachable;

  /**
   * @param message what was attempted
   * @param cause the driver's failure
   */
  public SessionStoreException(String message, Throwable cause) {
    super(message, cause);
    this.unreachable = isConnectionFailure(cause);
  }

  /**
   * @return whether the store could not be reached (rather than refusing the statement), so the
   *     same work may succeed once it is back
   */
  public boolean unreachable() {
    return unreachable;
  }

  /**
   * @param failure a failure, possibly wrapped (by Mutiny, middleware or a handler)
   * @return the first {@link SessionStoreException} in its causes that reports an unreachable
   *     store, or null
   */
  public static SessionStoreException unreachableIn(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SessionStoreException store && store.unreachable) {
        return store;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  /** The pg client's messages for commands on, or queued on, a connection that closed. */
  private static final List<String> CLOSED_CONNECTION_MESSAGES =
      List.of("connection is not active", "connection has been closed");

  private static boolean isClosedConnectionMessage(String message) {
    String lower = message.toLowerCase(Locale.ROOT);
    return CLOSED_CONNECTION_MESSAGES.stream().anyMatch(lower::contains);
  }

  /** Whether a driver failure (or one of its causes) means the connection, not the statement. */
  static boolean isConnectionFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SocketException // refused, reset
          || t instanceof ClosedChannelException
          || t instanceof ClosedConnectionException
          || t instanceof TimeoutException
          || t.getClass().getSimpleName().contains("TimeoutException")) {
        return true;
      }
      if (t instanceof PgException pg) {
        String state = pg.getSqlState();
        return state != null && (state.startsWith("08") || SERVER_GOING_AWAY.contains(state));
      }
      // The pg client reports a command sent on a connection that died, and the commands still
      // queued on one when it closed, with bare throwables (NoStackTraceThrowable, VertxException)
      // recognisable only by their messages.
      if (t.getMessage() != null && isClosedConnectionMessage(t.getMessage())) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
