package dev.botrunner.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.internal.store.PostgresSessionStore;
import dev.botrunner.internal.webhook.WebhookResource;
import dev.botrunner.pg.TestDatabase;
import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.SentMessage;
import dev.botrunner.testkit.Updates;
import io.vertx.pgclient.PgConnectOptions;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.IntBinaryOperator;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}) as child processes in webhook
 * mode against a fake Bot API and a PostgreSQL, and Telegram's side of the webhook: posts with the
 * secret header.
 */
final class WebhookProcesses {

  static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
  static final String SECRET = "crash-test-secret_0123456789";

  /** Short, so a test waits little for a dead process's lease to end. */
  static final String LEASE = "2s";

  static final String DEADLINE = "1s";

  static final Duration STARTUP = Duration.ofSeconds(60);

  /** How often a wait checks its condition again. */
  private static final Duration POLL = Duration.ofMillis(50);

  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private WebhookProcesses() {}

  static HttpResponse<Void> post(int port, Update update) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/telegram/webhook"))
            .header("Content-Type", "application/json")
            .header(WebhookResource.SECRET_HEADER, SECRET)
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(Updates.toJson(update)))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.discarding());
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
            return false; // not listening yet
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        });
  }

  /**
   * Waits up to {@link #STARTUP} for a condition while the process lives; fails naming {@code what}
   * on timeout, and at once if the process died. Fails with an {@link AssertionError}, which a
   * caller may catch to say more about what is off.
   */
  static void await(Process process, String what, BooleanSupplier condition) {
    try {
      Awaitility.await(what)
          .atMost(STARTUP)
          .pollInterval(POLL)
          .failFast("the process exited while waiting for: " + what, () -> !process.isAlive())
          .until(condition::getAsBoolean);
    } catch (ConditionTimeoutException | TerminalFailureException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * @param name names the process's log file under {@code target/}
   */
  static Process launch(FakeBotApi fake, PgConnectOptions db, int port, String name)
      throws IOException {
    return launch(fake, db, port, name, "webhook");
  }

  /**
   * @param name names the process's log file under {@code target/}
   * @param mode {@code webhook} or {@code polling}
   */
  static Process launch(FakeBotApi fake, PgConnectOptions db, int port, String name, String mode)
      throws IOException {
    return launch(fake, db, port, name, mode, Map.of());
  }

  /**
   * @param name names the process's log file under {@code target/}
   * @param mode {@code webhook} or {@code polling}
   * @param settings environment variables on top of the common ones
   */
  static Process launch(
      FakeBotApi fake,
      PgConnectOptions db,
      int port,
      String name,
      String mode,
      Map<String, String> settings)
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
    env.put("BOT_WEBHOOK_TIMEOUT", DEADLINE);
    env.put("BOT_WEBHOOK_LEASE", LEASE);
    env.put("BOT_SHUTDOWN_GRACE", "5s");
    env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
    env.put(
        "QUARKUS_DATASOURCE_REACTIVE_URL",
        "postgresql://" + db.getHost() + ":" + db.getPort() + "/" + db.getDatabase());
    env.put("QUARKUS_DATASOURCE_USERNAME", db.getUser());
    env.put("QUARKUS_DATASOURCE_PASSWORD", db.getPassword());
    env.putAll(settings);
    File log = new File("target/" + mode + "-process-" + name + ".log");
    builder.redirectErrorStream(true).redirectOutput(log);
    return builder.start();
  }

  /** The readiness probe's status code, or -1 while the service does not answer. */
  static int readyStatus(int port) {
    try {
      HttpRequest ready =
          HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/ready"))
              .timeout(Duration.ofSeconds(5))
              .build();
      return HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Lines in a process's log so far. */
  static long lines(Path log) throws IOException {
    try (var stream = java.nio.file.Files.lines(log)) {
      return stream.count();
    }
  }

  /**
   * Every chat's demo counter equals its message count, and every message got its reply ({@code
   * "<n>: <text>"}); a reply may repeat (at-least-once, when a process died after replying but
   * before its session write committed), but none is missing.
   *
   * @param text the text of a chat's {@code i}-th message, by chat index and {@code i}
   */
  static void assertEveryChatComplete(
      PostgresSessionStore store,
      FakeBotApi fake,
      long firstChat,
      int chats,
      int perChat,
      IntBinaryOperator text) {
    for (int c = 0; c < chats; c++) {
      long chat = firstChat + c;
      assertEquals(perChat, TestDatabase.demoCount(store, chat), "counter of chat " + chat);
      Set<String> replies = new HashSet<>();
      for (SentMessage sent : fake.sentMessages(chat)) {
        replies.add(sent.text());
      }
      for (int i = 0; i < perChat; i++) {
        String expected = (i + 1) + ": m" + text.applyAsInt(c, i);
        assertTrue(replies.contains(expected), "chat " + chat + " reply " + expected);
      }
    }
  }
}
