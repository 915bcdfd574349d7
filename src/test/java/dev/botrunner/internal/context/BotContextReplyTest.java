package dev.botrunner.internal.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.botrunner.SessionKey;
import dev.botrunner.TelegramApiException;
import dev.botrunner.internal.client.TelegramClient;
import dev.botrunner.internal.propagation.OwnPipeline;
import dev.botrunner.internal.store.MemorySessionStore;
import dev.botrunner.internal.store.VersionedSession;
import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.Updates;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.message.Message;

/**
 * {@code ctx.reply} decodes the sent message only for a caller that reads it, yet it still gives
 * that message, and a refused reply still fails the update.
 */
class BotContextReplyTest {

  private final Vertx vertx = Vertx.vertx();
  private final FakeBotApi fake = FakeBotApi.start();
  private final TelegramClient api =
      TelegramClient.builder(vertx, fake.baseUrl(), FakeBotApi.TOKEN)
          .timeout(Duration.ofSeconds(2))
          .build();

  @AfterEach
  void tearDown() {
    api.close();
    fake.close();
    vertx.closeAndAwait();
  }

  private UpdateContext context(Update update) {
    return new UpdateContext(
        update,
        api,
        new VersionedSession(SessionKey.of(update), new MemorySessionStore()),
        "fake_bot");
  }

  @Test
  void theReplyGivesTheSentMessageToACallerThatReadsIt() {
    UpdateContext ctx = context(Updates.text(77, 77, "hi"));
    Message sent = ctx.reply("hello").await().atMost(Duration.ofSeconds(5));
    assertEquals("hello", sent.getText());
    assertEquals(77L, sent.getChatId());
    assertEquals(fake.sentMessages(77).get(0).messageId(), sent.getMessageId());
    OwnPipeline.fromFuture(ctx.settled()).await().atMost(Duration.ofSeconds(5));
  }

  @Test
  void anUnreadReplyThatTelegramRefusesStillFailsTheUpdate() {
    fake.script("sendMessage").error(403, "Forbidden: bot was blocked by the user");
    UpdateContext ctx = context(Updates.text(78, 78, "hi"));
    ctx.reply("hello");
    TelegramApiException refused =
        assertThrows(
            TelegramApiException.class,
            () -> OwnPipeline.fromFuture(ctx.settled()).await().atMost(Duration.ofSeconds(5)));
    assertEquals(403, refused.errorCode());
  }
}
