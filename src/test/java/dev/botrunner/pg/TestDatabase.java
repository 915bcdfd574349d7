package dev.botrunner.pg;

import dev.botrunner.session.PostgresSessionStore;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's connection to the shared test database ({@link TestPostgres}): its own Vert.x
 * instance and pool, and a {@link PostgresSessionStore} whose migrations have run. Register it as a
 * static {@code @RegisterExtension} field to open it before the class's tests and close it after,
 * or {@link #open} it in a try-with-resources block.
 */
public final class TestDatabase implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

  private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(10);

  private final int poolSize;
  private Vertx vertx;
  private Pool pool;
  private PostgresSessionStore store;

  /**
   * @param poolSize maximum connections of the pool
   */
  public TestDatabase(int poolSize) {
    this.poolSize = poolSize;
  }

  /**
   * @param poolSize maximum connections of the pool
   * @return a database with its migrations applied; close it
   */
  public static TestDatabase open(int poolSize) {
    TestDatabase db = new TestDatabase(poolSize);
    db.start();
    return db;
  }

  private void start() {
    vertx = Vertx.vertx();
    pool = TestPostgres.pool(vertx, TestPostgres.options(), poolSize);
    store = new PostgresSessionStore(pool, null);
    TestPostgres.migrate(TestPostgres.options());
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /**
   * @return this connection's Vert.x instance
   */
  public Vertx vertx() {
    return vertx;
  }

  /**
   * @return the pool
   */
  public Pool pool() {
    return pool;
  }

  /**
   * @return a session store on the pool, without TTL
   */
  public PostgresSessionStore store() {
    return store;
  }

  /**
   * @param sql statements to run (e.g. {@code DELETE}s between tests), at most 10 s
   */
  public void sql(String sql) {
    pool.query(sql).execute().await().atMost(STATEMENT_TIMEOUT);
  }

  /**
   * @param table a table name
   * @return its row count
   */
  public long rows(String table) {
    return pool.query("SELECT count(*) AS n FROM " + table)
        .execute()
        .await()
        .atMost(STATEMENT_TIMEOUT)
        .iterator()
        .next()
        .getLong("n");
  }

  @Override
  public void close() {
    pool.closeAndAwait();
    vertx.closeAndAwait();
  }
}
