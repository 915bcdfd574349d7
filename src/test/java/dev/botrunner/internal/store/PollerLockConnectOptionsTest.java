package dev.botrunner.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.pgclient.PgConnectOptions;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The poller lock's connection is built from the datasource URL without leaking its password. */
class PollerLockConnectOptionsTest {

  @Test
  void aValidUrlWithCredentials() {
    PgConnectOptions options =
        PostgresDelivery.connectOptions(
            "vertx-reactive:postgresql://bot:s3cr3t@db:5432/botrunner",
            Optional.empty(),
            Optional.of("override"));
    assertEquals("db", options.getHost());
    assertEquals("bot", options.getUser());
    assertEquals("override", options.getPassword());
  }

  @Test
  void anInvalidUrlIsReportedWithoutItsPassword() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                PostgresDelivery.connectOptions(
                    "postgresql://bot:s3cr3t-pw@db:notaport/botrunner",
                    Optional.empty(),
                    Optional.empty()));
    assertTrue(e.getMessage().contains("QUARKUS_DATASOURCE_REACTIVE_URL"), e.getMessage());
    assertTrue(e.getMessage().contains("postgresql://bot:<redacted>@db:notaport"), e.getMessage());
    assertFalse(e.getMessage().contains("s3cr3t-pw"), e.getMessage());
  }
}
