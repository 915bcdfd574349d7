package dev.botrunner.it;

import dev.botrunner.internal.webhook.WebhookResource;
import dev.botrunner.testkit.FakeBotApiResource;
import dev.botrunner.testkit.SentMessage;
import dev.botrunner.testkit.Updates;
import io.restassured.RestAssured;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * What the webhook end-to-end tests share: posting updates like Telegram does (the secret header,
 * one update per POST, re-sends after 503) to the service booted with {@link WebhookProfile}, and
 * reading the demo bot's replies from the fake Bot API.
 */
final class WebhookClient {

  static final String PATH = "/telegram/webhook";

  /** How long {@link #await} waits for the service before it fails the test. */
  static final Duration WAIT = Duration.ofSeconds(60);

  /** How often {@link #await} looks again. */
  private static final Duration POLL = Duration.ofMillis(20);

  /**
   * Telegram's pause before it re-sends a post answered 503; time itself, since the service must
   * see a later re-send, not a tight loop (shorter than Retry-After, to keep tests short).
   */
  private static final Duration RESEND_DELAY = Duration.ofMillis(50);

  /** Re-sends after which {@link #postUntilAccepted} gives up. */
  private static final int MAX_RESENDS = 200;

  /** HTTP/1.1 like Telegram; one client, since each opens its own connection pool and threads. */
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private WebhookClient() {}

  /** The running service's address; Quarkus picks the port when the profile boots. */
  static URI endpoint(String path) {
    return URI.create("http://localhost:" + RestAssured.port + path);
  }

  static HttpRequest request(Update update) {
    return HttpRequest.newBuilder(endpoint(PATH))
        .header("Content-Type", "application/json")
        .header(WebhookResource.SECRET_HEADER, WebhookProfile.SECRET)
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(Updates.toJson(update)))
        .build();
  }

  /** Posts like Telegram: re-sends after a 503 (sooner than Retry-After, to keep tests short). */
  static int postUntilAccepted(Update update) throws Exception {
    for (int attempt = 0; attempt < MAX_RESENDS; attempt++) {
      int status = HTTP.send(request(update), HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status != 503) {
        return status;
      }
      Thread.sleep(RESEND_DELAY.toMillis());
    }
    throw new AssertionError(
        "update " + update.getUpdateId() + " was refused " + MAX_RESENDS + " times");
  }

  static List<String> textsOf(long chat) {
    return FakeBotApiResource.fake().sentMessages(chat).stream().map(SentMessage::text).toList();
  }

  /**
   * Waits up to {@link #WAIT} for {@code condition}; fails the test naming {@code what} when it
   * does not come true.
   */
  static void await(String what, BooleanSupplier condition) {
    Awaitility.await(what).atMost(WAIT).pollInterval(POLL).until(condition::getAsBoolean);
  }

  static long repliesIn(long firstChat, int chats) {
    return FakeBotApiResource.fake().sentMessages().stream()
        .filter(m -> m.chatId() >= firstChat && m.chatId() < firstChat + chats)
        .count();
  }

  /** What one connection posts; {@code thread} numbers the connections from 0. */
  interface Connection {
    void run(int thread) throws Exception;
  }

  /**
   * Runs {@code connection} on {@code count} threads at once, like Telegram's parallel webhook
   * connections, and waits for all of them; the first failure fails the caller.
   */
  static void onConnections(int count, Connection connection) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(count);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < count; t++) {
        int thread = t;
        done.add(
            threads.submit(
                () -> {
                  connection.run(thread);
                  return null;
                }));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      threads.shutdownNow();
    }
  }

  /** The demo bot's replies to {@code texts} in one chat: {@code <n>: <text>}. */
  static List<String> numbered(List<String> texts) {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      expected.add((i + 1) + ": " + texts.get(i));
    }
    return expected;
  }
}
