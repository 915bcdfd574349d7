import dev.botrunner.internal.config.BotId;
import dev.botrunner.pg.TestPostgres;
import dev.botrunner.internal.store.PostgresSessionStore;
import dev.botrunner.internal.store.StoredSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Session-path throughput (one read + one versioned write per update, over 1,000 chats) next to
 * pgbench's single-row UPDATE on the same PostgreSQL in the same run. Usage (from the repo root,
 * see bench/session-path.sh): java -cp CP bench/SessionPathBench.java [clients] [seconds]
 */
public class SessionPathBench {

  static final int KEYS = 1000;

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    // As in the service (quarkus.datasource.reactive.cache-prepared-statements=true).
    PgConnectOptions options = TestPostgres.options().setCachePreparedStatements(true);
    Vertx vertx = Vertx.vertx();
    Pool pool = TestPostgres.pool(vertx, options, clients);
    PostgresSessionStore store = new PostgresSessionStore(pool, new BotId(1), null);
    TestPostgres.migrate(options);
    pool.query("DELETE FROM bot_session").execute().await().indefinitely();

    run(store, clients, 10, "warm-up (JIT)");
    double sessionOps = run(store, clients, seconds, "session path");
    double pgbenchTps = pgbench(options, clients, seconds);
    System.out.printf(
        "RESULT clients=%d seconds=%d session_updates_per_s=%.0f pgbench_tps=%.0f ratio=%.2f%n",
        clients, seconds, sessionOps, pgbenchTps, sessionOps / pgbenchTps);
    pool.closeAndAwait();
    vertx.closeAndAwait();
    System.exit(0);
  }

  /** Each client loops: pick the next key, read its session, write it back one count higher. */
  static double run(PostgresSessionStore store, int clients, int seconds, String label)
      throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong done = new AtomicLong();
    AtomicLong conflicts = new AtomicLong();
    AtomicLong nextKey = new AtomicLong();
    CountDownLatch finished = new CountDownLatch(clients);
    for (int c = 0; c < clients; c++) {
      loop(store, stop, done, conflicts, nextKey, finished);
    }
    long start = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    long countAtStop = done.get();
    double elapsed = (System.nanoTime() - start) / 1e9;
    finished.await();
    double rate = countAtStop / elapsed;
    System.out.printf(
        "%s: %d updates in %.1f s = %.0f/s (%d version conflicts between clients)%n",
        label, countAtStop, elapsed, rate, conflicts.get());
    return rate;
  }

  static void loop(
      PostgresSessionStore store,
      AtomicBoolean stop,
      AtomicLong done,
      AtomicLong conflicts,
      AtomicLong nextKey,
      CountDownLatch finished) {
    if (stop.get()) {
      finished.countDown();
      return;
    }
    String key = Long.toString(nextKey.getAndIncrement() % KEYS);
    store
        .read(key)
        .flatMap(
            (StoredSession stored) -> {
              long count = stored == null ? 0 : Long.parseLong(stored.json().replaceAll("\\D", ""));
              long version = stored == null ? 0 : stored.version();
              return store.write(key, "{\"count\":" + (count + 1) + "}", version);
            })
        .onFailure()
        .recoverWithItem(
            failure -> {
              conflicts.incrementAndGet();
              return 0L;
            })
        .subscribe()
        .with(
            ignored -> {
              done.incrementAndGet();
              loop(store, stop, done, conflicts, nextKey, finished);
            });
  }

  /** pgbench with a single-row UPDATE over 1,000 rows, same client count and duration. */
  static double pgbench(PgConnectOptions options, int clients, int seconds) throws Exception {
    Path script = Files.createTempFile("pgbench", ".sql");
    Files.writeString(
        script,
        "\\set id random(1, " + KEYS + ")\nUPDATE bench_row SET v = v + 1 WHERE id = :id;\n");
    String setup =
        "DROP TABLE IF EXISTS bench_row; CREATE TABLE bench_row(id int PRIMARY KEY, v bigint);"
            + " INSERT INTO bench_row SELECT g, 0 FROM generate_series(1, " + KEYS + ") g;";
    exec(List.of("psql", "-q", "-c", setup), options);
    List<String> out =
        exec(
            List.of(
                "pgbench", "-n", "-c", Integer.toString(clients), "-j", "2", "-T",
                Integer.toString(seconds), "-f", script.toString()),
            options);
    for (String line : out) {
      if (line.startsWith("tps = ")) {
        System.out.println("pgbench: " + line);
        return Double.parseDouble(line.substring(6).split(" ")[0]);
      }
    }
    throw new IllegalStateException("no tps line from pgbench: " + out);
  }

  static List<String> exec(List<String> command, PgConnectOptions options) throws Exception {
    List<String> full = new ArrayList<>(command);
    full.addAll(
        List.of(
            "-h", options.getHost(), "-p", Integer.toString(options.getPort()),
            "-U", options.getUser(), options.getDatabase()));
    ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
    builder.environment().put("PGPASSWORD", options.getPassword());
    Process process = builder.start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(process.getInputStream()))) {
      for (String line; (line = reader.readLine()) != null; ) {
        lines.add(line);
      }
    }
    if (process.waitFor() != 0) {
      throw new IllegalStateException(command.get(0) + " failed: " + lines);
    }
    return lines;
  }
}
