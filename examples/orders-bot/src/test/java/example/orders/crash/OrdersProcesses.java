package example.orders.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.SentMessage;
import dev.botrunner.testkit.Updates;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * What the orders bot's process tests share: the packaged bot as a child process against the fake
 * Bot API and an embedded PostgreSQL, and the equalities its unit of work promises, checked from
 * the database and the replies.
 */
final class OrdersProcesses {

  static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
  static final String SECRET = "orders-crash-secret_0123456789";

  /** Short, so the tests wait little for a killed process's outbox rows to be swept. */
  static final Map<String, String> FAST_RECOVERY =
      Map.of(
          "BOT_OUTBOX_LEASE", "3s",
          "BOT_OUTBOX_SWEEP_EVERY", "1s",
          "BOT_WEBHOOK_LEASE", "2s",
          "BOT_SESSION_ON_CONFLICT", "retry");

  static final Duration WAIT = Duration.ofMinutes(4);

  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private OrdersProcesses() {}

  static EmbeddedPostgres database() throws IOException {
    File work = new File(System.getProperty("user.home"), ".cache/botrunner-embedded-pg");
    work.mkdirs();
    return EmbeddedPostgres.builder().setOverrideWorkingDirectory(work).start();
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * @param name names the process's log file under {@code target/}
   * @param mode {@code polling} or {@code webhook}
   */
  static Process launch(EmbeddedPostgres db, FakeBotApi fake, int port, String name, String mode)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
            java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString());
    Map<String, String> env = builder.environment();
    env.put("BOT_TOKEN", FakeBotApi.TOKEN);
    env.put("BOT_API_URL", fake.baseUrl());
    env.put("BOT_MODE", mode);
    env.put("BOT_POLLING_TIMEOUT", "1");
    env.put("BOT_WEBHOOK_SECRET", SECRET);
    env.put("BOT_WEBHOOK_TIMEOUT", "5s");
    env.put("BOT_SHUTDOWN_GRACE", "5s");
    env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
    env.put(
        "QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:" + db.getPort() + "/postgres");
    env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
    env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
    env.putAll(FAST_RECOVERY);
    File log = new File("target/orders-" + name + ".log");
    builder.redirectErrorStream(true).redirectOutput(log);
    return builder.start();
  }

  static void awaitReady(Process process, int port) {
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/ready"))
            .timeout(Duration.ofSeconds(5))
            .build();
    await(
        process,
        "the process is ready",
        () -> {
          try {
            return HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
          } catch (IOException e) {
            return false;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        });
  }

  static int post(int port, Update update) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/telegram/webhook"))
            .header("Content-Type", "application/json")
            .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(Updates.toJson(update)))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** Waits for a condition while the process lives; fails at once if it died. */
  static void await(Process process, String what, BooleanSupplier condition) {
    Awaitility.await(what)
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(20))
        .failFast("the process exited while waiting for: " + what, () -> !process.isAlive())
        .until(condition::getAsBoolean);
  }

  /** {@code /order o<i>} updates, round robin over the chats; item names are unique. */
  static List<Update> orders(int total, long firstChat, int chats, int firstUpdateId) {
    var updates = Updates.sequence(firstUpdateId);
    List<Update> list = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      long chat = firstChat + i % chats;
      list.add(updates.command(chat, chat, "order", "o" + i));
    }
    return list;
  }

  static long count(EmbeddedPostgres db, String sql) throws SQLException {
    try (Connection c = db.getPostgresDatabase().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  static long orders(EmbeddedPostgres db) {
    try {
      return count(db, "SELECT count(*) FROM shop_order");
    } catch (SQLException e) {
      return -1; // the table is made by the bot's first start
    }
  }

  /**
   * The equalities: rows == distinct updates (no item twice), every chat's session counter
   * exact, every committed order announced at least once with its rank in the chat, and no reply
   * that is not a committed order's (a rolled-back attempt's reply would name an order that is not
   * there, or another rank).
   */
  static void assertExactlyOnce(
      EmbeddedPostgres db, FakeBotApi fake, long firstChat, int chats, int total)
      throws SQLException {
    assertEquals(total, count(db, "SELECT count(*) FROM shop_order"), "rows");
    assertEquals(total, count(db, "SELECT count(DISTINCT item) FROM shop_order"), "distinct");
    // Each chat's orders in the order they were placed: its updates run one after another, each
    // placed after the previous one committed. (Ids are not that order: Hibernate hands out blocks
    // of sequence values, and a restarted process or two concurrent block fetches reorder them.)
    Map<Long, List<String>> expected = new HashMap<>();
    try (Connection c = db.getPostgresDatabase().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT chatid, item FROM shop_order ORDER BY chatid, placedat, id")) {
      while (rs.next()) {
        List<String> chat = expected.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>());
        chat.add("Ordered " + rs.getString(2) + " (order " + (chat.size() + 1) + " in this chat)");
      }
    }
    int repeated = 0;
    for (int c = 0; c < chats; c++) {
      long chat = firstChat + c;
      assertEquals(
          total / chats,
          count(
              db,
              "SELECT (data->>'placed')::int FROM bot_session WHERE key = '" + chat + "'"),
          "session counter of chat " + chat);
      List<String> want = expected.getOrDefault(chat, List.of());
      assertEquals(total / chats, want.size(), "orders of chat " + chat);
      List<String> got = fake.sentMessages(chat).stream().map(SentMessage::text).toList();
      Set<String> distinct = new HashSet<>(got);
      assertEquals(new HashSet<>(want), distinct, "replies of chat " + chat);
      repeated += got.size() - distinct.size();
    }
    assertEquals(0, count(db, "SELECT count(*) FROM bot_outbox"), "outbox drained");
    System.out.printf(
        "orders: %d rows for %d updates; replies %d (%d sent again after a kill)%n",
        total, total, fake.sentMessages().size(), repeated);
  }

  static long sweepLines(String name) throws IOException {
    Path log = Path.of("target/orders-" + name + ".log");
    if (!Files.exists(log)) {
      return 0;
    }
    try (var lines = Files.lines(log)) {
      return lines.filter(l -> l.contains("outbox sweep sent")).count();
    }
  }
}
