package example.orders;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A real PostgreSQL for the tests, without Docker: an embedded server started once per test JVM
 * (its binaries unpack under {@code ~/.cache}, so {@code mvn clean} does not unpack them again).
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

  private static EmbeddedPostgres server;

  @Override
  public synchronized Map<String, String> start() {
    if (server == null) {
      File work = new File(System.getProperty("user.home"), ".cache/botrunner-embedded-pg");
      work.mkdirs();
      try {
        server = EmbeddedPostgres.builder().setOverrideWorkingDirectory(work).start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(PostgresResource::stopServer));
    }
    return Map.of(
        "quarkus.datasource.reactive.url",
        "postgresql://localhost:" + server.getPort() + "/postgres",
        "quarkus.datasource.username",
        "postgres",
        "quarkus.datasource.password",
        "postgres");
  }

  @Override
  public void stop() {
    // Shared by every Quarkus start of this JVM; stopped when the JVM exits.
  }

  private static void stopServer() {
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
