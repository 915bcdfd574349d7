import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.Updates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Hands the updates to the service the way Telegram would, and records when each one was handed
 * over ({@link System#nanoTime}, the same clock as the fake's arrival times): into the fake's
 * getUpdates queue (polling) or as webhook posts (webhook, K connections, each chat's posts one
 * after another on one connection, as Telegram does). With a rate, update i is due at start + i /
 * rate (a steady load); without one, everything is handed over at once (a burst).
 */
final class Sender {

  private final String mode;
  private final FakeBotApi fake;
  private final URI hook;
  private final int connections;
  final AtomicLong non200 = new AtomicLong();

  /** Calls from webhook answers that the fake never took, after every attempt. */
  final AtomicLong forwardFailures = new AtomicLong();

  /** How often the driver makes a call from a webhook answer before it gives up. */
  private static final int FORWARD_ATTEMPTS = 5;

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  Sender(String mode, FakeBotApi fake, int httpPort, int connections) {
    this.mode = mode;
    this.fake = fake;
    this.hook = URI.create("http://127.0.0.1:" + httpPort + "/telegram/webhook");
    this.connections = connections;
  }

  /**
   * @return per update, when it was handed over
   */
  long[] send(List<Update> updates, int[] chatOf, double rate) throws Exception {
    long[] sentAt = new long[updates.size()];
    if (mode.equals("polling")) {
      enqueue(updates, rate, sentAt);
    } else {
      post(updates, chatOf, rate, sentAt);
    }
    return sentAt;
  }

  private void enqueue(List<Update> updates, double rate, long[] sentAt) {
    int n = updates.size();
    if (rate <= 0) {
      fake.enqueue(updates);
      long now = System.nanoTime();
      java.util.Arrays.fill(sentAt, now);
      return;
    }
    long start = System.nanoTime();
    int next = 0;
    while (next < n) {
      long now = System.nanoTime();
      // Everything due by now goes in one enqueue, so a late driver catches up instead of drifting.
      int due = (int) Math.min(n, (now - start) * rate / 1e9 + 1);
      if (due > next) {
        fake.enqueue(updates.subList(next, due));
        long handed = System.nanoTime();
        for (int i = next; i < due; i++) {
          sentAt[i] = handed;
        }
        next = due;
      } else {
        LockSupport.parkNanos(start + (long) (next * 1e9 / rate) - now);
      }
    }
  }

  private void post(List<Update> updates, int[] chatOf, double rate, long[] sentAt)
      throws Exception {
    List<List<Integer>> perConnection = new ArrayList<>();
    for (int j = 0; j < connections; j++) {
      perConnection.add(new ArrayList<>());
    }
    String[] bodies = new String[updates.size()];
    for (int i = 0; i < bodies.length; i++) {
      bodies[i] = Updates.toJson(updates.get(i));
      perConnection.get(chatOf[i] % connections).add(i);
    }
    ExecutorService pool = Executors.newFixedThreadPool(connections);
    try {
      List<Future<?>> done = new ArrayList<>();
      long start = System.nanoTime();
      for (List<Integer> mine : perConnection) {
        done.add(pool.submit(() -> postAll(mine, bodies, rate, start, sentAt)));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  /**
   * A webhook answer may carry a Bot API call (BOT_WEBHOOK_REPLY); Telegram makes it, so the driver
   * makes it against the fake, without waiting (Telegram does not hold the next post for it), in
   * this process, so its cost is not the bot's.
   */
  private void makeTheCallInTheAnswer(HttpClient http, String body) {
    String method;
    try {
      method = JSON.readTree(body).get("method").asText();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("a webhook answer that is not a Bot API call: " + body, e);
    }
    // Telegram takes method names in any case; the fake knows them as documented.
    String name = method.equalsIgnoreCase("sendMessage") ? "sendMessage" : method;
    HttpRequest call =
        HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/bot" + FakeBotApi.TOKEN + "/" + name))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    forward(http, call, FORWARD_ATTEMPTS);
  }

  /** Telegram makes the call reliably; a connection the fake closed under it is tried again. */
  private void forward(HttpClient http, HttpRequest call, int attemptsLeft) {
    http.sendAsync(call, HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (answer, failure) -> {
              if ((failure != null || answer.statusCode() != 200) && attemptsLeft > 1) {
                forward(http, call, attemptsLeft - 1);
              } else if (failure != null || answer.statusCode() != 200) {
                forwardFailures.incrementAndGet();
              }
            });
  }

  private Void postAll(List<Integer> mine, String[] bodies, double rate, long start, long[] sentAt)
      throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (int i : mine) {
      if (rate > 0) {
        long due = start + (long) (i * 1e9 / rate);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
      }
      HttpRequest request =
          HttpRequest.newBuilder(hook)
              .header("Content-Type", "application/json")
              .header("X-Telegram-Bot-Api-Secret-Token", ServiceProcess.SECRET)
              .POST(HttpRequest.BodyPublishers.ofString(bodies[i]))
              .build();
      sentAt[i] = System.nanoTime();
      HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) {
        non200.incrementAndGet();
      } else if (!answer.body().isEmpty()) {
        makeTheCallInTheAnswer(http, answer.body());
      }
    }
    return null;
  }
}
