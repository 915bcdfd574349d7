package dev.botrunner.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * A fake Telegram Bot API server on the loopback interface, for tests of bots and Bot API clients.
 *
 * <p>Point the client at {@link #baseUrl()} with the token {@link #TOKEN}; it then answers {@code
 * POST /bot<token>/<method>} (JSON, urlencoded or {@code multipart/form-data} body, or {@code GET}
 * with a query string) the way Telegram does: {@code getMe}, {@code getUpdates} with offset
 * confirmation and long polling, {@code sendMessage}, uploads ({@code sendPhoto}, {@code
 * sendDocument}, {@code sendAudio}, {@code sendVideo}, {@code sendMediaGroup}: file parts are on
 * {@link RecordedCall#files()}), the webhook methods, and {@code {"ok":true,"result":true}} for
 * anything else. Every request is recorded; answers can be scripted per method with {@link
 * #script}.
 *
 * <p>All methods are thread-safe. The token never appears in anything the fake prints.
 */
public final class FakeBotApi implements AutoCloseable {

  /** The default bot's user id, which is also the part of {@link #TOKEN} before the colon. */
  public static final long BOT_ID = 123456789L;

  /** The token the fake accepts by default: shaped like a real one, but not one. */
  public static final String TOKEN = BOT_ID + ":AAFakeTestToken-not_real-0123456789";

  /** The bot's {@code username} as {@code getMe} reports it (without {@code @}). */
  public static final String BOT_USERNAME = "fake_bot";

  /** The bot's {@code first_name} as {@code getMe} reports it. */
  public static final String BOT_FIRST_NAME = "Fake Bot";

  private final String token;
  private final long botId;
  private final HttpServer server;
  private final ExecutorService executor;
  private final UpdateQueue updates = new UpdateQueue();
  private final Recorder recorder = new Recorder();
  private final ScriptBook scripts = new ScriptBook();
  private final WebhookState webhook = new WebhookState();
  private volatile boolean revoked;

  private FakeBotApi(String token) throws IOException {
    this.token = Objects.requireNonNull(token, "token");
    int colon = token.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("a token has the form <digits>:<secret>");
    }
    this.botId = Long.parseLong(token.substring(0, colon));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    // Unbounded on purpose: every long poll holds a thread, and tests may run a hundred of them.
    executor = Executors.newCachedThreadPool(daemonThreads());
    server.setExecutor(executor);
    server.createContext(
        "/",
        new ApiHandler(this, recorder, scripts, new BotMethods(updates, recorder, webhook, botId)));
    server.start();
  }

  /**
   * Starts a fake on {@code 127.0.0.1} and an ephemeral port.
   *
   * @return the running fake; close it when done
   */
  public static FakeBotApi start() {
    return start(TOKEN);
  }

  /**
   * Starts a fake for another bot: it accepts only {@code token}, and {@code getMe} and sent
   * messages name the bot by the token's digits (the username stays {@link #BOT_USERNAME}). For
   * tests of several bots side by side.
   *
   * @param token a token of the form {@code <digits>:<secret>}
   * @return the running fake; close it when done
   */
  public static FakeBotApi start(String token) {
    // The JDK server writes headers and body separately; without TCP_NODELAY every answer waits
    // for the client's delayed ACK (about 40 ms). Read once, when the first server is created.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    try {
      return new FakeBotApi(token);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start the fake Bot API", e);
    }
  }

  /**
   * Returns the URL to use in place of {@code https://api.telegram.org}.
   *
   * @return {@code http://127.0.0.1:PORT}, without a trailing slash
   */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * Stops the server at once. Requests still in flight, waiting long polls and delayed answers
   * included, end early and may see a closed connection. Closing twice is harmless.
   */
  @Override
  public void close() {
    updates.close();
    server.stop(0);
    executor.shutdownNow();
  }

  /** Makes every later call answer 401 Unauthorized, as after the owner revoked the token. */
  public void revokeToken() {
    revoked = true;
  }

  boolean acceptsToken(String token) {
    return !revoked && this.token.equals(token);
  }

  /**
   * @return the token this fake accepts ({@link #TOKEN} unless started with another)
   */
  public String token() {
    return token;
  }

  /**
   * @return the bot's user id, the digits of {@link #token()} before the colon
   */
  public long botId() {
    return botId;
  }

  /**
   * Queues updates for {@code getUpdates}, in this order, and wakes waiting long polls.
   *
   * @param updates updates with their {@code update_id} set
   */
  public void enqueue(Update... updates) {
    enqueue(Arrays.asList(updates));
  }

  /**
   * Queues updates for {@code getUpdates}, in list order, and wakes waiting long polls.
   *
   * @param updates updates with their {@code update_id} set
   */
  public void enqueue(List<Update> updates) {
    updates.forEach(u -> Objects.requireNonNull(u, "update"));
    this.updates.add(updates.stream().map(u -> (ObjectNode) Json.MAPPER.valueToTree(u)).toList());
  }

  /**
   * Queues one update given as raw JSON, handed out exactly as written, so fields and update kinds
   * unknown to the client's library can be tested.
   *
   * @param rawUpdateJson a JSON object with an integer {@code update_id}
   */
  public void enqueueJson(String rawUpdateJson) {
    JsonNode node = Json.parse(rawUpdateJson);
    if (!node.isObject()) {
      throw new IllegalArgumentException("An update must be a JSON object");
    }
    updates.add(List.of((ObjectNode) node));
  }

  /**
   * Counts the updates not yet confirmed by an offset (including ones handed out but unconfirmed).
   *
   * @return the number of pending updates
   */
  public int pendingUpdates() {
    return updates.size();
  }

  /**
   * Counts the {@code getUpdates} answers that have carried an update since the start or the last
   * {@link #reset()}: 1 for an update fetched once and confirmed, more for one handed out again
   * because the client's next offset did not confirm it yet.
   *
   * @param updateId the update's {@code update_id}
   * @return how many answers carried it; 0 if none did
   */
  public int deliveries(int updateId) {
    return updates.deliveries(updateId);
  }

  /**
   * The counts of {@link #deliveries(int)} for every update handed out since the start or the last
   * {@link #reset()}, so that a test can check a whole run at once.
   *
   * @return an immutable snapshot by {@code update_id}; updates never handed out are absent
   */
  public Map<Integer, Integer> deliveries() {
    return updates.deliveries();
  }

  /**
   * Sets a webhook as if the bot had called {@code setWebhook}; {@code getUpdates} then answers 409
   * until {@code deleteWebhook}. An empty string removes it.
   *
   * @param url the webhook URL
   */
  public void setWebhookUrl(String url) {
    webhook.set(Objects.requireNonNull(url, "url"), null, null, null);
  }

  /**
   * Returns the current webhook URL.
   *
   * @return the URL, or {@code ""} when no webhook is set
   */
  public String webhookUrl() {
    return webhook.url();
  }

  /**
   * Returns the {@code secret_token} of the last {@code setWebhook}.
   *
   * @return the secret token, or {@code null} if none was given
   */
  public String webhookSecretToken() {
    return webhook.secretToken();
  }

  /**
   * Returns a builder that queues the next answers of {@code method}.
   *
   * @param method a Bot API method name, matched case-insensitively
   * @return a new script for that method
   */
  public Script script(String method) {
    return new Script(scripts, method);
  }

  /**
   * Adds {@code delay} before every answer of {@code method}, scripted or not; {@link
   * Duration#ZERO} removes it.
   *
   * @param method a Bot API method name, matched case-insensitively
   * @param delay the added latency
   */
  public void latency(String method, Duration delay) {
    scripts.latency(method, Objects.requireNonNull(delay, "delay"));
  }

  /** Drops every queued scripted answer and latency. */
  public void clearScripts() {
    scripts.clear();
  }

  /**
   * Returns every request received so far, in arrival order.
   *
   * @return an immutable snapshot
   */
  public List<RecordedCall> calls() {
    return recorder.calls(c -> true);
  }

  /**
   * Returns the requests for one method, in arrival order.
   *
   * @param method a Bot API method name, matched case-insensitively
   * @return an immutable snapshot
   */
  public List<RecordedCall> calls(String method) {
    return recorder.calls(c -> c.isMethod(method));
  }

  /**
   * When the fake finished writing its normal answer to a call ({@link System#nanoTime()}, the
   * clock of {@link RecordedCall#arrivalNanos()}), so that a benchmark can tell the fake's time
   * from the client's. Scripted and error answers are not timed.
   *
   * @param call a call this fake recorded
   * @return the time, or 0 if it has not been answered normally (yet)
   */
  public long answeredNanos(RecordedCall call) {
    return recorder.answeredAt(call);
  }

  /**
   * Returns the {@code getUpdates} requests with their parameters read.
   *
   * @return an immutable snapshot, in arrival order
   */
  public List<GetUpdatesCall> getUpdatesCalls() {
    return calls("getUpdates").stream().map(GetUpdatesCall::of).toList();
  }

  /**
   * Waits until at least {@code count} calls of {@code method} have arrived.
   *
   * @param method a Bot API method name, matched case-insensitively
   * @param count how many calls to wait for
   * @param timeout a guard against hanging tests, not a speed requirement
   * @return whether the calls arrived in time
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public boolean awaitCalls(String method, int count, Duration timeout)
      throws InterruptedException {
    return recorder.awaitCalls(method, count, timeout);
  }

  /**
   * Returns the messages accepted by {@code sendMessage}, in arrival order.
   *
   * @return an immutable snapshot
   */
  public List<SentMessage> sentMessages() {
    return recorder.sent(m -> true);
  }

  /**
   * Returns the messages accepted by {@code sendMessage} for one chat, in arrival order.
   *
   * @param chatId the chat
   * @return an immutable snapshot
   */
  public List<SentMessage> sentMessages(long chatId) {
    return recorder.sent(m -> m.chatId() == chatId);
  }

  /**
   * Waits until at least {@code count} messages have been accepted since the start or the last
   * {@link #reset()}.
   *
   * @param count how many messages to wait for
   * @param timeout a guard against hanging tests, not a speed requirement
   * @return whether the messages arrived in time
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public boolean awaitSentMessages(int count, Duration timeout) throws InterruptedException {
    return recorder.awaitSent(count, timeout);
  }

  /**
   * Forgets recorded calls, sent messages and {@link #deliveries} counts. Pending updates, scripts,
   * webhook, message ids and sequence numbers are kept, as they are state of the "server", not of
   * the recording.
   */
  public void reset() {
    recorder.reset();
    updates.forget();
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "fake-bot-api-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
