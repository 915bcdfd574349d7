package dev.botrunner.internal.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.internal.client.TelegramClient;
import dev.botrunner.internal.propagation.OwnPipeline;
import dev.botrunner.internal.store.MemorySessionStore;
import dev.botrunner.internal.store.VersionedSession;
import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.SentMessage;
import dev.botrunner.testkit.Updates;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;

/** The first reply of a webhook update held for the answer ({@code BOT_WEBHOOK_REPLY}). */
class HeldReplyTest {

  private static final long CHAT = 31;
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final FakeBotApi fake = FakeBotApi.start();
  private final Vertx vertx = Vertx.vertx();
  private final TelegramClient api =
      TelegramClient.builder(vertx, fake.baseUrl(), FakeBotApi.TOKEN)
          .maxConnections(4)
          .timeout(WAIT)
          .build();

  @AfterEach
  void close() {
    api.close();
    vertx.closeAndAwait();
    fake.close();
  }

  private UpdateContext context(WebhookReply answer) {
    UpdateContext ctx =
        new UpdateContext(
            Updates.text(CHAT, CHAT, "x"),
            api,
            new VersionedSession(Long.toString(CHAT), new MemorySessionStore()),
            null);
    ctx.offerRepliesTo(answer);
    return ctx;
  }

  private List<String> sent() {
    return fake.sentMessages(CHAT).stream().map(SentMessage::text).toList();
  }

  @Test
  void aHeldReplyIsHandedToTheAnswerAndNotSent() {
    WebhookReply answer = new WebhookReply();
    UpdateContext ctx = context(answer);
    assertNull(ctx.reply("only").await().atMost(WAIT), "its result is unknown");
    OwnPipeline.fromFuture(ctx.handOverReply()).await().atMost(WAIT);
    OwnPipeline.fromFuture(ctx.settled()).await().atMost(WAIT);
    SendMessage call = (SendMessage) answer.take();
    assertEquals("only", call.getText());
    assertEquals(List.of(), sent());
  }

  @Test
  void aFailedUpdateStillSendsItsHeldReply() {
    WebhookReply answer = new WebhookReply();
    UpdateContext ctx = context(answer);
    ctx.reply("before the failure");
    // The update failed in its middleware: the dispatcher waits for callsDone, not handOverReply.
    OwnPipeline.fromFuture(ctx.callsDone()).await().atMost(WAIT);
    assertEquals(List.of("before the failure"), sent());
    assertNull(answer.take());
  }

  @Test
  void afterTheAnswerTheHeldReplyIsSentByRequest() {
    WebhookReply answer = new WebhookReply();
    UpdateContext ctx = context(answer);
    ctx.reply("late");
    assertNull(answer.take(), "answered at the deadline, nothing claimed yet");
    OwnPipeline.fromFuture(ctx.handOverReply()).await().atMost(WAIT);
    OwnPipeline.fromFuture(ctx.settled()).await().atMost(WAIT);
    assertEquals(List.of("late"), sent());
  }

  @Test
  void aRunThatStartsAgainReplacesTheEarlierRunsReply() {
    WebhookReply answer = new WebhookReply();
    UpdateContext first = context(answer);
    first.reply("stale");
    OwnPipeline.fromFuture(first.handOverReply()).await().atMost(WAIT);
    UpdateContext second = context(answer);
    second.reply("fresh");
    OwnPipeline.fromFuture(second.handOverReply()).await().atMost(WAIT);
    SendMessage call = (SendMessage) answer.take();
    assertEquals("fresh", call.getText());
    assertTrue(sent().isEmpty());
  }

  @Test
  void withoutTheOptionRepliesAreSentAtOnce() {
    UpdateContext ctx =
        new UpdateContext(
            Updates.text(CHAT, CHAT, "x"),
            api,
            new VersionedSession(Long.toString(CHAT), new MemorySessionStore()),
            null);
    ctx.reply("direct");
    OwnPipeline.fromFuture(ctx.handOverReply()).await().atMost(WAIT);
    OwnPipeline.fromFuture(ctx.settled()).await().atMost(WAIT);
    assertEquals(List.of("direct"), sent());
  }
}
