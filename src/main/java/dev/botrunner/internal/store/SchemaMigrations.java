package dev.botrunner.internal.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
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
 * startup).
 *
 * <p>Replicas may start together on any database: {@link #apply} holds botrunner's own migration
 * lock, a PostgreSQL session advisory lock on a connection of its own, around the whole of {@code
 * migrate()}, so one replica migrates at a time and the others then find the history up to date.
 * Flyway's own lock is not enough: it is taken after Flyway decided whether to create or baseline
 * the history table, so a replica that looked before another one created the table, and looked
 * again after, failed to baseline ("... already exists, and is empty"; {@code
 * ConcurrentMigrationsTest}). The lock is the two-{@code int} form with a first key of its own
 * ({@value #LOCK_NAMESPACE}, "bmig"), apart from Flyway's single-{@code bigint} lock, the poller
 * locks ({@code PostgresPollerLock}, "bp" in the high 16 bits) and the claim of unclaimed rows
 * ({@code UnclaimedRows}, "bclm"). The wait is PostgreSQL's lock queue: a replica starts migrating
 * the moment the one before it finished, and a replica that dies while it holds the lock releases
 * it with its session.
 */
public final class SchemaMigrations {

  /** Where the scripts live on the class path. */
  public static final String LOCATION = "db/botrunner";

  /** Flyway's history table for botrunner's scripts. */
  public static final String HISTORY_TABLE = "botrunner_schema_history";

  /** Every script, oldest first. */
  public static final List<String> SCRIPTS =
      List.of(
          "V1__bot_session.sql",
          "V2__delivery.sql",
          "V3__per_bot.sql",
          "V4__pending_lease.sql",
          "V5__outbox.sql");

  /** First key of botrunner's migration lock ("bmig"); the second is {@value #LOCK_KEY}. */
  /**
   * JDBC connections the migrations hold at once: Flyway's two and the migration lock's. A pool
   * smaller than this waits forever for the third.
   */
  public static final int CONNECTIONS = 3;

  static final int LOCK_NAMESPACE = 0x626d6967;

  /** Second key of the migration lock: one lock for botrunner's one history table. */
  static final int LOCK_KEY = 0;

  private static final String LOCK = "SELECT pg_advisory_lock(?, ?)";
  private static final String UNLOCK = "SELECT pg_advisory_unlock(?, ?)";

  private SchemaMigrations() {}

  /**
   * Applies the scripts under botrunner's migration lock (see the class comment). Takes one
   * connection from Flyway's datasource for the lock, beside the two Flyway uses while it migrates.
   *
   * @param flyway a Flyway from {@link #forDataSource} or {@link #forDatabase}
   * @return the number of migrations applied now
   * @throws IllegalStateException when the lock could not be taken
   */
  public static int apply(Flyway flyway) {
    try (Connection lock = flyway.getConfiguration().getDataSource().getConnection()) {
      call(lock, LOCK);
      int applied;
      try {
        applied = flyway.migrate().migrationsExecuted;
      } catch (RuntimeException e) {
        unlockAfterFailure(lock, e);
        throw e;
      }
      // A pooled connection outlives this call: the lock must not stay with its session.
      call(lock, UNLOCK);
      return applied;
    } catch (SQLException e) {
      throw new IllegalStateException(
          "botrunner's migration lock (pg_advisory_lock) failed: " + e.getMessage(), e);
    }
  }

  private static void unlockAfterFailure(Connection lock, RuntimeException failure) {
    try {
      call(lock, UNLOCK);
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }

  private static void call(Connection connection, String sql) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setInt(1, LOCK_NAMESPACE);
      statement.setInt(2, LOCK_KEY);
      statement.execute();
    }
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
