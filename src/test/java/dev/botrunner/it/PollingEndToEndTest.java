package dev.botrunner.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.botrunner.example.DemoBot;
import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.FakeBotApiResource;
import dev.botrunner.testkit.SentMessage;
import dev.botrunner.testkit.Updates;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * The packaged service, polling the fake Bot API: the demo bot's replies prove each update ran
 * exactly once, in order per chat, with its session.
 */
@QuarkusTest
@WithTestResource(FakeBotApiResource.class)
class PollingEndToEndTest {

  /** Ten thousand updates on a shared 2-core machine take a while; more means it is stuck. */
  private static final Duration REPLIES_WITHIN = Duration.ofSeconds(120);

  private static final Duration POLL = Duration.ofMillis(20);

  private static List<String> textsOf(FakeBotApi fake, long chat) {
    return fake.sentMessages(chat).stream().map(SentMessage::text).toList();
  }

  /** Waits for {@code perChat} replies in each of the chats; fails the test if they do not come. */
  private static void awaitReplies(FakeBotApi fake, long firstChat, int chats, int perChat) {
    long expected = (long) chats * perChat;
    await(expected + " replies in chats " + firstChat + ".." + (firstChat + chats - 1))
        .atMost(REPLIES_WITHIN)
        .pollInterval(POLL)
        .until(
            () ->
                fake.sentMessages().stream()
                        .filter(m -> m.chatId() >= firstChat && m.chatId() < firstChat + chats)
                        .count()
                    >= expected);
  }

  @Test
  void demoBotGreetsAndCountsPerChat() throws Exception {
    FakeBotApi fake = FakeBotApiResource.fake();
    long chat = 7_000_001;
    fake.enqueue(Updates.command(chat, chat, "start", ""));
    fake.enqueue(Updates.text(chat, chat, "hello"));
    fake.enqueue(Updates.text(chat, chat, "hello"));
    fake.enqueue(Updates.text(chat, chat, "hello"));
    awaitReplies(fake, chat, 1, 4);
    assertEquals(
        List.of(DemoBot.GREETING, "1: hello", "2: hello", "3: hello"), textsOf(fake, chat));
  }

  @Test
  void middlewareStartsOnTheEventLoopByDefault() throws Exception {
    FakeBotApi fake = FakeBotApiResource.fake();
    int before = ThreadProbeSetup.onEventLoop().size();
    long chat = ThreadProbeSetup.FIRST_CHAT + 500;
    for (int i = 1; i <= 5; i++) {
      fake.enqueue(Updates.text(chat, chat, "w" + i));
    }
    awaitReplies(fake, chat, 1, 5);
    assertEquals(5, textsOf(fake, chat).size());
    List<Boolean> probed = ThreadProbeSetup.onEventLoop();
    assertEquals(List.of(true, true, true, true, true), probed.subList(before, probed.size()));
  }

  @Test
  void tenThousandUpdatesOverHundredChatsRunOnceInOrder() throws Exception {
    FakeBotApi fake = FakeBotApiResource.fake();
    long firstChat = 1_000;
    int chats = 100;
    int perChat = 100;
    List<Update> updates = new ArrayList<>();
    for (int i = 1; i <= perChat; i++) {
      for (int c = 0; c < chats; c++) {
        long chat = firstChat + c;
        updates.add(Updates.text(chat, chat, "m" + i));
      }
    }
    fake.enqueue(updates);
    awaitReplies(fake, firstChat, chats, perChat);
    for (int c = 0; c < chats; c++) {
      List<String> expected = new ArrayList<>();
      for (int i = 1; i <= perChat; i++) {
        expected.add(i + ": m" + i);
      }
      assertEquals(expected, textsOf(fake, firstChat + c), "chat " + (firstChat + c));
    }
  }
}
