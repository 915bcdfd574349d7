package dev.botrunner.internal.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.SessionConflictException;
import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** An unreachable store is told apart from a refused statement, a conflict and a bot's error. */
class SessionStoreExceptionTest {

  @Test
  void connectionFailuresMeanUnreachable() {
    assertTrue(new SessionStoreException("x", new ConnectException("refused")).unreachable());
    assertTrue(new SessionStoreException("x", ClosedConnectionException.INSTANCE).unreachable());
    assertTrue(new SessionStoreException("x", new TimeoutException("pool")).unreachable());
    assertTrue(
        new SessionStoreException(
                "x",
                new NoStackTraceThrowable("Connection is not active now, current status: CLOSED"))
            .unreachable());
    // What the commands still queued on a connection get when PostgreSQL goes away under them.
    assertTrue(
        new SessionStoreException(
                "x",
                new VertxException(
                    "Pending requests failed to be sent due to connection has been closed.", true))
            .unreachable());
  }

  @Test
  void otherFailuresAreNot() {
    assertFalse(new SessionStoreException("x", null).unreachable());
    assertFalse(
        new SessionStoreException("x", new IllegalArgumentException("bad json")).unreachable());
    assertNull(SessionStoreException.unreachableIn(new SessionConflictException("k", 1, 2)));
    assertNull(SessionStoreException.unreachableIn(new IllegalStateException("bot bug")));
  }

  @Test
  void foundWhenWrappedByHandlersOrMutiny() {
    SessionStoreException down = new SessionStoreException("x", new ConnectException("refused"));
    assertSame(
        down,
        SessionStoreException.unreachableIn(
            new CompletionException(new RuntimeException("handler", down))));
  }
}
