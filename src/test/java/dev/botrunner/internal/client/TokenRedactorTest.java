package dev.botrunner.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.BotApi;
import dev.botrunner.TelegramApiException;
import dev.botrunner.TelegramTransportException;
import dev.botrunner.internal.logging.LogCapture;
import dev.botrunner.internal.logging.TokenRedactor;
import dev.botrunner.testkit.BotTester;
import dev.botrunner.testkit.FakeBotApi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.telegram.telegrambots.meta.api.methods.send.SendDocument;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;

/**
 * The bot token never appears where an error is formatted: not in what {@link TokenRedactor} makes
 * of a URL (the token in the path, the query, the userinfo, percent-encoded), not in the exceptions
 * the {@link TelegramClient} fails with (Telegram's answers quoting the request, proxies' pages,
 * dropped connections, timeouts, refused connections), for JSON calls, lazy calls, getUpdates and
 * multipart uploads alike, and not in the log lines those failures produce.
 *
 * <p>Each check that the token is absent goes with one that the failure under test really happened
 * and its text reached the place checked (it names the failure, or shows {@code <redacted>} where
 * the token was), so a path that stopped carrying the text fails instead of passing vacuously.
 */
class TokenRedactorTest {

  private static final String TOKEN = FakeBotApi.TOKEN;

  /** What must never appear: the part after the colon (the bot id alone is public). */
  private static final String SECRET = TOKEN.substring(TOKEN.indexOf(':') + 1);

  /** The token as a URL encoder writes it into a path or query. */
  private static final String ENCODED = TOKEN.replace(":", "%3A");

  /** Another bot's token, not the configured one: masked because of its shape. */
  private static final String OTHER = "987654321:" + "Z".repeat(35);

  private static final String OTHER_SECRET = OTHER.substring(OTHER.indexOf(':') + 1);

  private static final String MASK = "<redacted>";

  /**
   * The client's call timeout: time itself, since the timeout test must let one elapse; short, as
   * the fake's late answer only has to come after it.
   */
  private static final Duration CALL_TIMEOUT = Duration.ofMillis(500);

  /** A scripted answer this late comes after {@link #CALL_TIMEOUT} has failed the call. */
  private static final Duration LATE = Duration.ofSeconds(10);

  /** How long a test waits for a call to fail before it fails itself. */
  private static final Duration WITHIN = Duration.ofSeconds(30);

  private static final byte[] FILE = {1, 2, 3};

  private final TokenRedactor redactor = new TokenRedactor(TOKEN);
  private final Vertx vertx = Vertx.vertx();
  private final FakeBotApi fake = FakeBotApi.start();

  @AfterEach
  void tearDown() {
    fake.close();
    vertx.closeAndAwait();
  }

  /** The client's calls, one of each way a request is built and its answer read. */
  enum Call {
    MESSAGE("sendMessage") {
      @Override
      Uni<?> on(TelegramClient client) {
        return client.sendMessage(1, "x");
      }
    },
    LAZY("sendMessage") {
      @Override
      Uni<?> on(TelegramClient client) {
        return client.callLazily(new SendMessage("1", "x")).map(LazyResult::get);
      }
    },
    POLL("getUpdates") {
      @Override
      Uni<?> on(TelegramClient client) {
        return client.getUpdates(null, 1, 0, null);
      }
    },
    UPLOAD("sendDocument") {
      @Override
      Uni<?> on(TelegramClient client) {
        return client.upload(new SendDocument("1", BotApi.bytes(FILE, "report.bin")));
      }
    };

    final String method;

    Call(String method) {
      this.method = method;
    }

    abstract Uni<?> on(TelegramClient client);
  }

  // --- TokenRedactor on text and URLs ---

  @Test
  void masksTheConfiguredTokenAndTokenShapedText() {
    assertEquals(
        "timeout on POST /bot<redacted>/getUpdates",
        redactor.redact("timeout on POST /bot" + TOKEN + "/getUpdates"));
    assertEquals("other <redacted> here", redactor.redact("other " + OTHER + " here"));
    assertEquals("plain", redactor.redact("plain"));
    assertNull(redactor.redact(null));
    assertEquals(
        "/bot<redacted>/getMe",
        new TokenRedactor(null).redact("/bot" + TOKEN + "/getMe"),
        "shaped like a token, masked even when none is configured");
  }

  @Test
  void masksTheSecretPartAlone() {
    assertEquals(
        "https://bot.example.com/hook/<redacted>",
        redactor.redact("https://bot.example.com/hook/" + SECRET));
  }

  @Test
  void masksATokenInTheQuery() {
    String url = "https://hooks.example.com/in?bot=" + TOKEN + "&secret_part=" + SECRET + "&x=1";
    String expected = "https://hooks.example.com/in?bot=<redacted>&secret_part=<redacted>&x=1";
    assertEquals(expected, redactor.redact(url));
    assertEquals(expected, redactor.redactUrl(url));
  }

  @Test
  void masksAPercentEncodedToken() {
    assertEquals(
        "https://api.example.com/bot<redacted>/getMe",
        redactor.redact("https://api.example.com/bot" + ENCODED + "/getMe"));
    assertEquals(
        "https://x.example.com/?t=<redacted>",
        redactor.redactUrl("https://x.example.com/?t=" + TOKEN.replace(":", "%3a")));
    assertEquals(
        "/bot<redacted>/getMe",
        redactor.redact("/bot" + OTHER.replace(":", "%3A") + "/getMe"),
        "another bot's token, encoded");
  }

  @Test
  void masksATokenInTheUserinfo() {
    assertEquals(
        "https://<redacted>@api.example.com/getMe",
        redactor.redactUrl("https://" + TOKEN + "@api.example.com/getMe"));
    assertEquals(
        "https://bot:<redacted>@api.example.com/",
        redactor.redactUrl("https://bot:" + SECRET + "@api.example.com/"));
    assertEquals(
        "https://<redacted>@api.example.com/",
        new TokenRedactor(null).redactUrl("https://" + OTHER + "@api.example.com/"));
  }

  @Test
  void aUrlLosesItsTokenPasswordAndSecretParameters() {
    assertEquals(
        "https://bot.example.com/tg/<redacted>/hook",
        redactor.redactUrl("https://bot.example.com/tg/" + TOKEN + "/hook"));
    assertEquals(
        "postgresql://bot:<redacted>@db:5432/botrunner?sslmode=require&password=<redacted>",
        new TokenRedactor(null)
            .redactUrl("postgresql://bot:s3cr3t@db:5432/botrunner?sslmode=require&password=other"));
    assertEquals(
        "https://hooks.example.com/bot?token=<redacted>&x=1",
        redactor.redactUrl("https://hooks.example.com/bot?token=abc&x=1"));
    assertEquals(
        "https://api.telegram.org", redactor.redactUrl("https://api.telegram.org"), "unchanged");
    assertEquals(
        "postgresql://bot@db/x", redactor.redactUrl("postgresql://bot@db/x"), "no password");
  }

  @Test
  void describeNamesTheFailureWithoutItsToken() {
    assertEquals(
        "IOException: reset on POST /bot<redacted>/sendMessage",
        redactor.describe(new IOException("reset on POST /bot" + TOKEN + "/sendMessage")));
    assertEquals("IOException", redactor.describe(new IOException()));
  }

  @Test
  void anInvalidApiUrlIsReportedWithoutTheToken() {
    for (String token : List.of(TOKEN, ENCODED)) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> client("https://api.example.com/bot" + token + "/ x", RetryPolicy.none()));
      assertTrue(e.getMessage().contains("/bot<redacted>/ x"), e.getMessage());
      assertNoToken(everything(e));
    }
  }

  // --- exceptions from the client ---

  @ParameterizedTest
  @EnumSource(Call.class)
  void telegramsErrorQuotingTheRequestLosesTheToken(Call call) {
    fake.script(call.method)
        .error(404, "Not Found: POST /bot" + TOKEN + "/" + call.method)
        .error(400, "Bad Request: see https://x.example.com/?u=" + ENCODED + "&o=" + OTHER);
    TelegramClient client = client(fake.baseUrl(), RetryPolicy.none());
    try {
      TelegramApiException quoted = fails(TelegramApiException.class, call, client);
      assertEquals(404, quoted.errorCode());
      assertEquals("Not Found: POST /bot<redacted>/" + call.method, quoted.description());
      assertTrue(quoted.getMessage().contains("/bot<redacted>/"), quoted.getMessage());
      assertNoToken(everything(quoted));

      TelegramApiException encoded = fails(TelegramApiException.class, call, client);
      assertEquals(
          "Bad Request: see https://x.example.com/?u=<redacted>&o=<redacted>",
          encoded.description());
      assertNoToken(everything(encoded));
    } finally {
      client.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void lostAnswersFailWithoutQuotingTheRequest(Call call) {
    fake.script(call.method).dropConnection().badGateway().answerNormally().delay(LATE);
    TelegramClient client = client(fake.baseUrl(), RetryPolicy.none());
    try {
      TelegramTransportException dropped = fails(TelegramTransportException.class, call, client);
      TelegramTransportException proxy = fails(TelegramTransportException.class, call, client);
      assertTrue(proxy.getMessage().contains("HTTP 502"), proxy.getMessage());
      TelegramTransportException timeout = fails(TelegramTransportException.class, call, client);
      // Vert.x names the request it gave up on, path and all: the token must be masked there.
      assertTrue(
          timeout.getMessage().contains("/bot" + MASK + "/" + call.method), timeout.getMessage());
      for (TelegramTransportException e : List.of(dropped, proxy, timeout)) {
        assertEquals(call.method, e.method());
        assertNull(e.getCause(), "the library's exception, which may quote the URL, is not kept");
        assertNoToken(everything(e));
      }
    } finally {
      client.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void aRefusedConnectionFailsWithoutTheToken(Call call) throws IOException {
    TelegramClient client = client("http://127.0.0.1:" + closedPort(), RetryPolicy.none());
    try {
      TelegramTransportException refused = fails(TelegramTransportException.class, call, client);
      assertTrue(refused.getMessage().contains("Connection refused"), refused.getMessage());
      assertNoToken(everything(refused));
    } finally {
      client.close();
    }
  }

  // --- log lines ---

  /**
   * The retry policy's debug line quotes every failure it retries, and the bot's default error
   * handler logs the failure that ends an update, stack trace included.
   */
  @Test
  void logLinesOfFailedAndRetriedCallsCarryNoToken() {
    Logger botrunner = Logger.getLogger("dev.botrunner");
    Level level = botrunner.getLevel();
    botrunner.setLevel(Level.ALL);
    try (LogCapture logs = new LogCapture()) {
      // Retries run at once: the test is about their log lines, not their timing.
      RetryPolicy retries =
          new RetryPolicy(
              3,
              Duration.ofSeconds(1),
              Duration.ZERO,
              System::nanoTime,
              (delay, task) -> task.run());
      TelegramClient client = client(fake.baseUrl(), retries);
      try {
        fake.script("sendMessage")
            .error(500, "Internal Server Error: upstream /bot" + TOKEN + "/sendMessage")
            .dropConnection()
            .error(403, "Forbidden: " + ENCODED);
        fails(TelegramApiException.class, Call.MESSAGE, client);
        fake.script("sendDocument")
            .error(502, "Bad Gateway: /bot" + TOKEN)
            .badGateway()
            .dropConnection()
            .times(2);
        fails(TelegramTransportException.class, Call.UPLOAD, client);
      } finally {
        client.close();
      }

      try (BotTester bot = BotTester.of(b -> b.on("message", ctx -> ctx.reply("hi")))) {
        bot.api().script("sendMessage").error(400, "Bad Request: /bot" + TOKEN + "/sendMessage");
        assertThrows(AssertionError.class, () -> bot.sendText(7, "hello"));
      }

      List<String> lines = logs.lines();
      assertTrue(
          lines.stream().anyMatch(l -> l.contains("retrying in") && l.contains("/bot" + MASK)),
          () -> "the retried failure is logged, masked: " + lines);
      assertTrue(
          lines.stream().anyMatch(l -> l.contains("failed") && l.contains("/bot" + MASK)),
          () -> "the update's failure is logged, masked: " + lines);
      for (String line : lines) {
        assertNoToken(line);
      }
    } finally {
      botrunner.setLevel(level);
    }
  }

  // --- helpers ---

  private TelegramClient client(String apiUrl, RetryPolicy retries) {
    return TelegramClient.builder(vertx, apiUrl, TOKEN)
        .maxConnections(4)
        .timeout(CALL_TIMEOUT)
        .retries(retries)
        .build();
  }

  private static <E extends Throwable> E fails(Class<E> type, Call call, TelegramClient client) {
    Throwable failure = assertThrows(Throwable.class, () -> call.on(client).await().atMost(WITHIN));
    return assertInstanceOf(type, failure, () -> call + " failed with " + everything(failure));
  }

  /** The exception as a log line with its stack trace shows it: messages, causes, suppressed. */
  private static String everything(Throwable failure) {
    StringWriter text = new StringWriter();
    failure.printStackTrace(new PrintWriter(text));
    return text.toString();
  }

  private static void assertNoToken(String text) {
    assertFalse(text.contains(SECRET), () -> "the token in: " + text);
    assertFalse(text.contains(OTHER_SECRET), () -> "a token-shaped secret in: " + text);
  }

  /** A port nothing listens on (it was free a moment ago). */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
