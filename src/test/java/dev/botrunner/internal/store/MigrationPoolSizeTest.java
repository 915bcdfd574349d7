package dev.botrunner.internal.store;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The application's JDBC pool must have room for the migrations' connections. */
class MigrationPoolSizeTest {

  @Test
  void aPoolTooSmallForTheMigrationsIsNamedWithWhatToSet() {
    SessionStoreException e =
        assertThrows(
            SessionStoreException.class,
            () -> SessionStoreProducer.requireRoomForMigrations(Optional.of(2)));
    assertTrue(e.getMessage().contains("quarkus.datasource.jdbc.max-size is 2"), e.getMessage());
    assertTrue(e.getMessage().contains("QUARKUS_DATASOURCE_JDBC_MAX_SIZE to 3"), e.getMessage());
  }

  @Test
  void theDefaultAndLargerPoolsPass() {
    assertDoesNotThrow(() -> SessionStoreProducer.requireRoomForMigrations(Optional.empty()));
    assertDoesNotThrow(() -> SessionStoreProducer.requireRoomForMigrations(Optional.of(3)));
  }
}
