package dev.botrunner.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.botrunner.internal.store.SchemaMigrations;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.pgclient.PgConnectOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Replicas that start together on one database: three migrations, each with its own Flyway and its
 * own connections, released at once by a barrier, round after round on a fresh database. Every one
 * of them succeeds, each script is recorded once, and a host application's table is left as it was.
 * Before botrunner serialized its migration, Flyway's baseline (taken outside its own lock) failed
 * now and then with "Unable to baseline schema history table ... as it already exists, and is
 * empty".
 */
class ConcurrentMigrationsTest {

  /** Replicas started together, as a Deployment with {@code replicas: 3} does. */
  private static final int REPLICAS = 3;

  /**
   * Rounds per starting state, each on a fresh database: enough to hit the race (see above); more
   * with {@code -Dbotrunner.test.migration-rounds=N}.
   */
  private static final int ROUNDS = Integer.getInteger("botrunner.test.migration-rounds", 20);

  private static final Duration WAIT = Duration.ofSeconds(60);

  /** What the database holds when the replicas start. */
  enum Start {
    /** A new database. */
    EMPTY,
    /** The host application's own table (so Flyway baselines botrunner's history at 0). */
    HOST_TABLE,
    /** botrunner's scripts already applied. */
    MIGRATED
  }

  private static Vertx vertx;
  private static Pool admin;

  @BeforeAll
  static void connect() {
    vertx = Vertx.vertx();
    admin = TestPostgres.pool(vertx, TestPostgres.options(), 1);
  }

  @AfterAll
  static void disconnect() {
    admin.closeAndAwait();
    vertx.closeAndAwait();
  }

  @ParameterizedTest
  @EnumSource(Start.class)
  void replicasStartingTogetherEachStartAndEveryScriptRunsOnce(Start start) throws Exception {
    int failedRounds = 0;
    List<String> failures = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      String database = "replicas_" + start.name().toLowerCase() + "_" + System.nanoTime();
      sql(admin, "CREATE DATABASE " + database);
      PgConnectOptions options = TestPostgres.options().setDatabase(database);
      try {
        int before = prepare(start, options);
        Round started = startTogether(options);
        if (!started.errors().isEmpty()) {
          failedRounds++;
          failures.add("round " + round + ": " + started.errors());
          continue;
        }
        int scripts = start == Start.MIGRATED ? 0 : SchemaMigrations.SCRIPTS.size();
        assertEquals(scripts, started.applied(), "round " + round + ": scripts applied in all");
        assertEquals(before, check(options), "round " + round + ": the host's rows");
      } finally {
        sql(admin, "DROP DATABASE " + database + " WITH (FORCE)");
      }
    }
    assertEquals(
        0,
        failedRounds,
        failedRounds + " of " + ROUNDS + " rounds had a replica that failed to start: " + failures);
  }

  /**
   * @return the host's rows, if any
   */
  private static int prepare(Start start, PgConnectOptions options) {
    if (start == Start.MIGRATED) {
      TestPostgres.migrate(options);
    }
    if (start == Start.HOST_TABLE) {
      Pool pool = TestPostgres.pool(vertx, options, 1);
      try {
        sql(pool, "CREATE TABLE shop_order (id bigint PRIMARY KEY, item text)");
        sql(pool, "INSERT INTO shop_order VALUES (1, 'tea'), (2, 'cake')");
      } finally {
        pool.closeAndAwait();
      }
      return 2;
    }
    return 0;
  }

  /**
   * @param applied scripts the replicas applied, added up
   * @param errors what replicas failed with
   */
  private record Round(int applied, List<Throwable> errors) {}

  /**
   * Runs {@link #REPLICAS} migrations at once, each as a replica would at its start.
   *
   * @return what they did
   */
  private static Round startTogether(PgConnectOptions options) throws Exception {
    CyclicBarrier together = new CyclicBarrier(REPLICAS);
    ExecutorService replicas = Executors.newFixedThreadPool(REPLICAS);
    try {
      List<Future<Integer>> started = new ArrayList<>();
      for (int r = 0; r < REPLICAS; r++) {
        started.add(
            replicas.submit(
                () -> {
                  Flyway flyway =
                      SchemaMigrations.forDatabase(
                          TestPostgres.jdbcUrl(options), options.getUser(), options.getPassword());
                  together.await();
                  return SchemaMigrations.apply(flyway);
                }));
      }
      int applied = 0;
      List<Throwable> errors = new ArrayList<>();
      for (Future<Integer> replica : started) {
        try {
          applied += replica.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          errors.add(e.getCause());
        }
      }
      return new Round(applied, errors);
    } finally {
      replicas.shutdownNow();
    }
  }

  /**
   * Every script is recorded once, applied, and the tables are usable.
   *
   * @return the host's rows
   */
  private static int check(PgConnectOptions options) {
    Pool pool = TestPostgres.pool(vertx, options, 1);
    try {
      List<String> versions = new ArrayList<>();
      for (Row row :
          query(
              pool,
              "SELECT version FROM "
                  + SchemaMigrations.HISTORY_TABLE
                  + " WHERE success AND version <> '0' ORDER BY installed_rank")) {
        versions.add(row.getString(0));
      }
      List<String> expected = new ArrayList<>();
      for (int v = 1; v <= SchemaMigrations.SCRIPTS.size(); v++) {
        expected.add(Integer.toString(v));
      }
      assertEquals(expected, versions, "each script recorded once");
      sql(pool, "SELECT bot_id, key, version FROM bot_session");
      sql(pool, "SELECT owner, lease_until FROM bot_pending_update");
      boolean host =
          query(pool, "SELECT to_regclass('shop_order') IS NOT NULL")
              .iterator()
              .next()
              .getBoolean(0);
      return host
          ? query(pool, "SELECT count(*) FROM shop_order").iterator().next().getInteger(0)
          : 0;
    } finally {
      pool.closeAndAwait();
    }
  }

  private static void sql(Pool pool, String statement) {
    query(pool, statement);
  }

  private static io.vertx.mutiny.sqlclient.RowSet<Row> query(Pool pool, String statement) {
    return pool.query(statement).execute().await().atMost(WAIT);
  }
}
