package dev.botrunner.pg;

import dev.botrunner.example.Counter;
import dev.botrunner.internal.config.BotId;
import dev.botrunner.internal.store.PostgresSessionStore;
import dev.botrunner.internal.store.VersionedSession;
import dev.botrunner.testkit.FakeBotApi;
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

  /** The bot of {@link FakeBotApi#TOKEN}, whose rows {@link #store()} reads and writes. */
  public static final BotId BOT = BotId.ofToken(FakeBotApi.TOKEN);

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
    store = new PostgresSessionStore(pool, BOT, null);
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

  /**
   * @param store the sessions
   * @param chat a chat
   * @return the demo bot's counter in that chat's session (0 when absent)
   */
  public static int demoCount(PostgresSessionStore store, long chat) {
    return new VersionedSession(Long.toString(chat), store).get(Counter.class, Counter::new).count;
  }

  /**
   * @param store the sessions
   * @param firstChat the first of consecutive chat ids
   * @param chats how many chats
   * @return the sum of their demo counters
   */
  public static int demoTotal(PostgresSessionStore store, long firstChat, int chats) {
    int sum = 0;
    for (int c = 0; c < chats; c++) {
      sum += demoCount(store, firstChat + c);
    }
    return sum;
  }
}
