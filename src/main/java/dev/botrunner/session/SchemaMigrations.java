package dev.botrunner.session;

import org.flywaydb.core.Flyway;

/**
 * The session schema's versioned migrations: Flyway scripts under {@code db/migration} ({@code
 * V<n>__<description>.sql}), applied at startup before any update is processed.
 *
 * <p>Flyway records each applied script with its checksum in {@code flyway_schema_history} (an
 * edited, already-applied script stops startup) and takes a PostgreSQL advisory lock while it
 * migrates, so replicas starting together apply each script exactly once. It runs over JDBC; the
 * JDBC URL is derived from the reactive one (see {@code JdbcUrlFromReactiveUrl}).
 */
public final class SchemaMigrations {

  /** Where the scripts live on the classpath. */
  public static final String LOCATION = "classpath:db/migration";

  private SchemaMigrations() {}

  /**
   * @param flyway a configured Flyway (Quarkus's bean, or {@link #forDatabase})
   * @return the number of migrations applied now
   */
  public static int apply(Flyway flyway) {
    return flyway.migrate().migrationsExecuted;
  }

  /**
   * A Flyway for a database outside Quarkus (tests, tools).
   *
   * @param jdbcUrl the database's JDBC URL
   * @param user the user
   * @param password the password
   * @return Flyway configured with botrunner's scripts
   */
  public static Flyway forDatabase(String jdbcUrl, String user, String password) {
    return Flyway.configure().dataSource(jdbcUrl, user, password).locations(LOCATION).load();
  }
}
