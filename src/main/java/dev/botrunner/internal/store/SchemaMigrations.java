package dev.botrunner.internal.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.resource.LoadableResource;
import org.flywaydb.core.internal.resource.classpath.ClassPathResource;

/**
 * botrunner's schema migrations: Flyway scripts under {@value #LOCATION} ({@code
 * V<n>__<description>.sql}), applied at startup before any update is processed.
 *
 * <p>They are kept apart from the application's own migrations, so a bot may use Flyway (or
 * Hibernate's schema management) for its tables in the same database: botrunner's scripts have
 * their own location and their own history table, {@value #HISTORY_TABLE}, and never read {@code
 * quarkus.flyway.*}. In a schema that already holds other tables the history starts at version 0
 * and every script runs; the scripts create only what does not exist yet, so a database whose
 * botrunner tables came from an earlier history table is taken over as it is.
 *
 * <p>The scripts are listed here rather than found by scanning the class path, which a native
 * executable cannot do; {@code SchemaMigrationsTest} fails when the list and the directory differ.
 * Flyway records each applied script with its checksum (an edited, already-applied script stops
 * startup) and holds a PostgreSQL advisory lock while it migrates, so replicas starting together
 * apply each script once.
 */
public final class SchemaMigrations {

  /** Where the scripts live on the class path. */
  public static final String LOCATION = "db/botrunner";

  /** Flyway's history table for botrunner's scripts. */
  public static final String HISTORY_TABLE = "botrunner_schema_history";

  /** Every script, oldest first. */
  public static final List<String> SCRIPTS =
      List.of(
          "V1__bot_session.sql", "V2__delivery.sql", "V3__per_bot.sql", "V4__pending_lease.sql");

  private SchemaMigrations() {}

  /**
   * @param flyway a Flyway from {@link #forDataSource} or {@link #forDatabase}
   * @return the number of migrations applied now
   */
  public static int apply(Flyway flyway) {
    return flyway.migrate().migrationsExecuted;
  }

  /**
   * @param dataSource the JDBC datasource to migrate through
   * @return Flyway configured with botrunner's scripts and history table
   */
  public static Flyway forDataSource(DataSource dataSource) {
    return configure().dataSource(dataSource).load();
  }

  /**
   * A Flyway for a database outside Quarkus (tests, tools).
   *
   * @param jdbcUrl the database's JDBC URL
   * @param user the user
   * @param password the password
   * @return Flyway configured with botrunner's scripts and history table
   */
  public static Flyway forDatabase(String jdbcUrl, String user, String password) {
    return configure().dataSource(jdbcUrl, user, password).load();
  }

  private static FluentConfiguration configure() {
    return Flyway.configure(SchemaMigrations.class.getClassLoader())
        .locations("classpath:" + LOCATION)
        .resourceProvider(new Scripts())
        .table(HISTORY_TABLE)
        .baselineOnMigrate(true)
        .baselineVersion("0");
  }

  /** The listed scripts, read from the class path. */
  private static final class Scripts implements ResourceProvider {

    private final Location location = new Location("classpath:" + LOCATION);

    @Override
    public LoadableResource getResource(String name) {
      return SCRIPTS.contains(name) ? resource(name) : null;
    }

    @Override
    public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
      return SCRIPTS.stream()
          .filter(name -> name.startsWith(prefix))
          .filter(name -> Arrays.stream(suffixes).anyMatch(name::endsWith))
          .map(this::resource)
          .toList();
    }

    private LoadableResource resource(String name) {
      return new ClassPathResource(
          location,
          LOCATION + "/" + name,
          SchemaMigrations.class.getClassLoader(),
          StandardCharsets.UTF_8);
    }
  }
}
