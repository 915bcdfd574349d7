import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.Updates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Compiles the fake Bot API's own code before a bot is started. The fake runs in the driver's JVM
 * on the machine the bot is measured on; left to the bot's warm-up alone (2,000 updates in the slow
 * cases), its HTTP server and {@code sendMessage} path reach the optimizing compiler only during
 * the measured part, where C2 took about 2 s of CPU in a slow-5k run (53 µs per update, beside the
 * service's 120-140). That is the harness competing with the bot, not the bot's cost: the fake now
 * answers its own {@code getUpdates} and {@code sendMessage} calls first, through the JDK's HTTP
 * client, with the latency the run sets, on chat ids no bench uses, then forgets them ({@link
 * FakeBotApi#reset()}). Every bot, botrunner and its peers alike, then meets the same warm fake.
 */
final class FakeWarmUp {

  /** sendMessage calls: several times the optimizing compiler's invocation thresholds. */
  static final int SEND_CALLS = 30_000;

  /** getUpdates calls of {@link #BATCH} updates each. */
  static final int POLL_CALLS = 300;

  /** Updates per getUpdates, as the bots fetch them. */
  private static final int BATCH = 100;

  /** Calls in flight at once: the fake's threads and connections, as a busy bot makes them. */
  private static final int IN_FLIGHT = 64;

  /** Chat ids of the fake's own calls, apart from the measured ones and the warm-up's. */
  private static final long FIRST_CHAT = 9_000_000L;

  private FakeWarmUp() {}

  /**
   * Runs the calls, waits for all of them and resets the fake's recordings.
   *
   * @throws IllegalStateException if an answer was not 200 or an update was left pending
   */
  static void run(FakeBotApi fake) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String base = fake.baseUrl() + "/bot" + fake.token() + "/";
    poll(fake, http, base);
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>(SEND_CALLS);
    for (int i = 0; i < SEND_CALLS; i++) {
      inFlight.acquire();
      String body = "{\"chat_id\":" + (FIRST_CHAT + i % 1000) + ",\"text\":\"warm " + i + "\"}";
      calls.add(
          http.sendAsync(post(base + "sendMessage", body), HttpResponse.BodyHandlers.ofString())
              .whenComplete((answer, failure) -> inFlight.release()));
    }
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      check(call.join(), "sendMessage");
    }
    fake.reset();
  }

  /** Hands out and confirms batches of updates, as a polling bot does. */
  private static void poll(FakeBotApi fake, HttpClient http, String base) throws Exception {
    for (int i = 0; i < POLL_CALLS; i++) {
      List<Update> batch = new ArrayList<>(BATCH);
      for (int j = 0; j < BATCH; j++) {
        long chat = FIRST_CHAT + j;
        batch.add(Updates.text(chat, chat, "warm"));
      }
      fake.enqueue(batch);
      int offset = batch.get(0).getUpdateId();
      check(
          http.send(
              post(base + "getUpdates", "{\"offset\":" + offset + ",\"limit\":" + BATCH + "}"),
              HttpResponse.BodyHandlers.ofString()),
          "getUpdates");
      // Confirms the batch, as the next poll of a bot would.
      int next = batch.get(BATCH - 1).getUpdateId() + 1;
      check(
          http.send(
              post(base + "getUpdates", "{\"offset\":" + next + ",\"limit\":1,\"timeout\":0}"),
              HttpResponse.BodyHandlers.ofString()),
          "getUpdates");
    }
    if (fake.pendingUpdates() != 0) {
      throw new IllegalStateException(
          "the fake's warm-up left " + fake.pendingUpdates() + " updates pending");
    }
  }

  private static HttpRequest post(String url, String json) {
    return HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  private static void check(HttpResponse<String> answer, String method) {
    if (answer.statusCode() != 200) {
      throw new IllegalStateException(
          "the fake's warm-up: " + method + " answered " + answer.statusCode());
    }
  }
}
