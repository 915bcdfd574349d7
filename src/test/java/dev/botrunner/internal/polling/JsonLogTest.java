package dev.botrunner.internal.polling;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.Updates;
import io.quarkus.logging.json.runtime.JsonFormatter;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * JSON logs (what {@code QUARKUS_LOG_CONSOLE_JSON_ENABLED=true} turns on): a line a handler logs
 * while handling an update carries {@code update_id} and {@code chat_id} as top-level JSON fields
 * (flat MDC, as the service's application.properties configures it), and no line of the whole run
 * carries the token. Uses the extension's own formatter on the real pipeline, without Quarkus.
 */
class JsonLogTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** How long the pipeline may take to poll the update and run its handler. */
  private static final Duration LOGGED_WITHIN = Duration.ofSeconds(30);

  /** Formats every record of the process the way the JSON console handler would. */
  static final class JsonCapture extends Handler implements AutoCloseable {
    final List<String> lines = new CopyOnWriteArrayList<>();
    private final JsonFormatter formatter = new JsonFormatter();
    private final Logger root = Logger.getLogger("");

    JsonCapture() {
      formatter.setFlatMdc(true);
      root.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
      // Formatted on the logging thread, where the MDC is set, as the console handler does.
      lines.add(formatter.format(ExtLogRecord.wrap(record)));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      root.removeHandler(this);
    }
  }

  @Test
  void handlerLinesCarryUpdateAndChatIdAndNeverTheToken() throws Exception {
    long chat = 4242;
    Update update = Updates.text(chat, chat, "log me");
    try (FakeBotApi fake = FakeBotApi.start();
        JsonCapture capture = new JsonCapture();
        Pipeline pipeline =
            Pipeline.with(fake)
                .concurrency(4)
                .bot(
                    bot ->
                        bot.on(
                            "message",
                            ctx ->
                                org.jboss.logging.Logger.getLogger("dev.botrunner.test.handler")
                                    .infof("handling %s", ctx.update().getMessage().getText())))
                .build()) {
      pipeline.start();
      fake.enqueue(update);
      JsonNode line =
          await("the handler's line captured")
              .atMost(LOGGED_WITHIN)
              .until(() -> handlerLine(capture), Objects::nonNull);
      assertEquals(Integer.toString(update.getUpdateId()), line.path("update_id").asText());
      assertEquals(Long.toString(chat), line.path("chat_id").asText());
      assertEquals("dev.botrunner.test.handler", line.path("loggerName").asText());
      assertEquals("INFO", line.path("level").asText());
      String secret = FakeBotApi.TOKEN.substring(FakeBotApi.TOKEN.indexOf(':') + 1);
      for (String text : capture.lines) {
        assertFalse(text.contains(secret), "a log line carries the token: " + text);
      }
      assertTrue(capture.lines.size() > 1, "the poller logged too");
    }
  }

  /** The handler's line among those captured so far, or null. */
  private static JsonNode handlerLine(JsonCapture capture) throws Exception {
    for (String text : capture.lines) {
      JsonNode node = JSON.readTree(text);
      if ("handling log me".equals(node.path("message").asText())) {
        return node;
      }
    }
    return null;
  }

  @Test
  void theServiceLogsJsonOnlyWhenAskedAndFlatWhenOn() throws Exception {
    Properties properties = new Properties();
    try (InputStream in =
        Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
      properties.load(in);
    }
    assertEquals("false", properties.getProperty("quarkus.log.console.json.enabled"));
    assertEquals("true", properties.getProperty("quarkus.log.console.json.mdc.flat-fields"));
  }
}
