package dev.botrunner.internal.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botrunner.BotApi;
import dev.botrunner.TelegramApiException;
import dev.botrunner.ThrottleQueueFullException;
import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.RecordedCall;
import dev.botrunner.testkit.UploadedFile;
import io.vertx.mutiny.core.Vertx;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.telegram.telegrambots.meta.api.methods.send.SendMediaGroup;
import org.telegram.telegrambots.meta.api.methods.send.SendPhoto;
import org.telegram.telegrambots.meta.api.objects.InputFile;
import org.telegram.telegrambots.meta.api.objects.media.InputMediaDocument;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardButton;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardRow;

/** Uploads, migration, counters and the throttle, through the client against the fake server. */
class OutboundFeaturesTest {

  private static final byte[] JPEG = {
    (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0, 1, 2, '\r', '\n', '-', '-', 3, (byte) 0xD9
  };

  private final Vertx vertx = Vertx.vertx();
  private final FakeBotApi fake = FakeBotApi.start();
  private TelegramClient client = client(null, false);

  private TelegramClient client(Throttle throttle, boolean followMigration) {
    return TelegramClient.builder(vertx, fake.baseUrl(), FakeBotApi.TOKEN)
        .timeout(Duration.ofSeconds(5))
        .retries(new RetryPolicy(3, Duration.ofSeconds(10)))
        .throttle(throttle)
        .followMigration(followMigration)
        .build();
  }

  @AfterEach
  void tearDown() {
    client.close();
    fake.close();
    vertx.closeAndAwait();
  }

  @Test
  void aPhotoUploadArrivesAsMultipartWithTheRightFields() {
    SendPhoto photo = new SendPhoto("42", BotApi.bytes(JPEG, "cat.jpg"));
    photo.setCaption("<b>a cat</b> é");
    photo.setParseMode("HTML");
    photo.setReplyMarkup(
        new InlineKeyboardMarkup(
            List.of(
                new InlineKeyboardRow(
                    InlineKeyboardButton.builder().text("more").callbackData("more").build()))));
    Message sent = client.sendPhoto(photo).await().atMost(Duration.ofSeconds(10));

    assertEquals(42L, sent.getChatId());
    assertEquals(1, sent.getPhoto().size());
    RecordedCall call = fake.calls("sendPhoto").get(0);
    // Header names are case-insensitive; Vert.x's encoder (Netty's) writes them in lower case.
    assertTrue(
        call.rawBody()
            .toLowerCase(java.util.Locale.ROOT)
            .contains("content-disposition: form-data"),
        "multipart body");
    assertEquals("42", call.param("chat_id"));
    assertEquals("<b>a cat</b> é", call.param("caption"));
    assertEquals("HTML", call.param("parse_mode"));
    JsonNode markup =
        dev.botrunner.internal.client.BotJson.MAPPER
            .valueToTree(call.params())
            .path("reply_markup");
    JsonNode keyboard = readJson(markup.asText()).path("inline_keyboard").get(0).get(0);
    assertEquals("more", keyboard.path("callback_data").asText());
    assertNull(call.param("photo"), "the file is a part, not a field");
    UploadedFile file = call.file("photo");
    assertNotNull(file, call.toString());
    assertEquals("cat.jpg", file.filename());
    assertEquals("image/jpeg", file.contentType());
    assertArrayEquals(JPEG, file.bytes());
    assertEquals(1, call.files().size());
  }

  @Test
  void aMediaGroupWithTwoFilesFromAFileAndAStream(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("report.pdf");
    Files.write(report, "%PDF-1.4 fake".getBytes(StandardCharsets.US_ASCII));
    InputMediaDocument first = new InputMediaDocument(report.toFile(), "report.pdf");
    first.setCaption("first");
    InputMediaDocument second = new InputMediaDocument(new ByteArrayInputStream(JPEG), "scan.jpg");
    SendMediaGroup group = new SendMediaGroup("-100777", List.of(first, second));

    List<Message> sent = client.sendMediaGroup(group).await().atMost(Duration.ofSeconds(10));

    assertEquals(2, sent.size());
    assertEquals("first", sent.get(0).getCaption());
    RecordedCall call = fake.calls("sendMediaGroup").get(0);
    assertEquals("-100777", call.param("chat_id"));
    JsonNode media = readJson(call.param("media"));
    assertEquals("attach://report.pdf", media.get(0).path("media").asText());
    assertEquals("attach://scan.jpg", media.get(1).path("media").asText());
    assertEquals(2, call.files().size());
    assertEquals("%PDF-1.4 fake", call.file("report.pdf").text());
    assertEquals("application/pdf", call.file("report.pdf").contentType());
    assertArrayEquals(JPEG, call.file("scan.jpg").bytes());
  }

  @Test
  void aPhotoByFileIdOrUrlIsAPlainFieldWithoutAFilePart() {
    client
        .sendPhoto(5, new InputFile("AgACAgIAAxkBAAIBfileid"), null)
        .await()
        .atMost(Duration.ofSeconds(10));
    client
        .sendPhoto(5, new InputFile("https://example.org/cat.jpg"), "url")
        .await()
        .atMost(Duration.ofSeconds(10));
    List<RecordedCall> calls = fake.calls("sendPhoto");
    assertEquals("AgACAgIAAxkBAAIBfileid", calls.get(0).param("photo"));
    assertEquals("https://example.org/cat.jpg", calls.get(1).param("photo"));
    assertTrue(calls.stream().allMatch(c -> c.files().isEmpty()), calls.toString());
  }

  @Test
  void aRetriedUploadSendsTheSameBytesAgain() {
    fake.script("sendDocument").serverError();
    client
        .sendDocument(9, BotApi.bytes(JPEG, "a.bin"), "doc")
        .await()
        .atMost(Duration.ofSeconds(10));
    List<RecordedCall> calls = fake.calls("sendDocument");
    assertEquals(2, calls.size());
    assertArrayEquals(JPEG, calls.get(1).file("document").bytes(), "stream read once, kept");
    assertEquals(1, client.stats().get("sendDocument", "500").count());
    assertEquals(1, client.stats().get("sendDocument", "ok").count());
  }

  @Test
  void migrationIsFollowedOnceWhenEnabled() {
    client.close();
    client = client(null, true);
    fake.script("sendMessage").migrateTo(-1001234567890L);
    Message sent = client.sendMessage(-4567, "hello group").await().atMost(Duration.ofSeconds(10));
    assertEquals(-1001234567890L, sent.getChatId());
    List<RecordedCall> calls = fake.calls("sendMessage");
    assertEquals("-4567", calls.get(0).param("chat_id"));
    assertEquals("-1001234567890", calls.get(1).param("chat_id"));
    assertEquals(2, calls.size());
    // Only once: a second migration answer is reported, not chased.
    fake.script("sendMessage").migrateTo(-1001L).migrateTo(-1002L);
    TelegramApiException twice =
        assertThrows(
            TelegramApiException.class,
            () -> client.sendMessage(-1, "x").await().atMost(Duration.ofSeconds(10)));
    assertEquals(-1002L, twice.migrateToChatId());
  }

  @Test
  void migrationIsOnlyReportedByDefault() {
    fake.script("sendMessage").migrateTo(-1001234567890L);
    TelegramApiException e =
        assertThrows(
            TelegramApiException.class,
            () -> client.sendMessage(-4567, "x").await().atMost(Duration.ofSeconds(10)));
    assertEquals(-1001234567890L, e.migrateToChatId());
    assertEquals(1, fake.calls("sendMessage").size());
  }

  @Test
  void countersPerMethodAndOutcomeNeverHoldTheToken() {
    fake.script("sendMessage").retryAfter(0);
    client.sendMessage(1, "a").await().atMost(Duration.ofSeconds(10)); // 429 then ok
    fake.script("sendMessage").error(403, "Forbidden: bot was blocked by the user");
    assertThrows(
        TelegramApiException.class,
        () -> client.sendMessage(1, "b").await().atMost(Duration.ofSeconds(10)));
    fake.script("getMe").dropConnection();
    client.getMe().await().atMost(Duration.ofSeconds(10)); // dropped, then retried
    ApiCallStats stats = client.stats();
    assertEquals(1, stats.get("sendMessage", "429").count());
    assertEquals(1, stats.get("sendMessage", "ok").count());
    assertEquals(1, stats.get("sendMessage", "403").count());
    assertEquals(1, stats.get("getMe", "transport").count());
    assertEquals(1, stats.get("getMe", "ok").count());
    assertTrue(stats.get("sendMessage", "ok").maxNanos() > 0);
    String secret = FakeBotApi.TOKEN.substring(FakeBotApi.TOKEN.indexOf(':'));
    assertTrue(
        stats.snapshot().keySet().stream()
            .noneMatch(k -> k.method().contains(secret) || k.outcome().contains(secret)));
  }

  @Test
  void theThrottleSpacesMessagesToOnePrivateChat() {
    client.close();
    Throttle throttle =
        Throttle.telegramLimits(
            2,
            System::nanoTime,
            (delay, task) ->
                vertx.setTimer(Math.max(1, (delay + 999_999) / 1_000_000), id -> task.run()));
    client = client(throttle, false);
    // The gaps are read at the fake, so every message must travel alike: open the connection
    // first (not a sending method, so not throttled), or the first message carries its setup.
    client.getMe().await().atMost(Duration.ofSeconds(30));
    var first = client.sendMessage(77, "one").subscribeAsCompletionStage();
    var second = client.sendMessage(77, "two").subscribeAsCompletionStage();
    var third = client.sendMessage(77, "three").subscribeAsCompletionStage();
    ThrottleQueueFullException full =
        assertThrows(
            ThrottleQueueFullException.class,
            () -> client.sendMessage(77, "four").await().atMost(Duration.ofSeconds(1)));
    assertTrue(full.getMessage().contains("BOT_API_THROTTLE_MAX_QUEUE"));
    first.join();
    second.join();
    third.join();
    List<RecordedCall> calls = fake.calls("sendMessage");
    assertEquals(3, calls.size());
    for (int i = 1; i < 3; i++) {
      long gap = calls.get(i).arrivalNanos() - calls.get(i - 1).arrivalNanos();
      assertTrue(gap >= 900_000_000L, "1 message/s per private chat, gap " + gap);
    }
    client.getMe().await().atMost(Duration.ofSeconds(1)); // not a sending method: never waits
  }

  private static JsonNode readJson(String text) {
    try {
      return BotJson.MAPPER.readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError(text, e);
    }
  }
}
