package dev.botrunner.it;

import static dev.botrunner.it.WebhookClient.await;
import static dev.botrunner.it.WebhookClient.numbered;
import static dev.botrunner.it.WebhookClient.onConnections;
import static dev.botrunner.it.WebhookClient.postUntilAccepted;
import static dev.botrunner.it.WebhookClient.repliesIn;
import static dev.botrunner.it.WebhookClient.textsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.botrunner.testkit.Updates;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Webhook mode with {@code BOT_MIDDLEWARE_THREAD=event-loop}: a posted update starts on the event
 * loop that received the post (or that got the reply ending the chat's previous update), and the
 * demo bot still numbers every chat's replies in order.
 */
@QuarkusTest
@TestProfile(WebhookOnEventLoopTest.OnEventLoop.class)
class WebhookOnEventLoopTest {

  /** The webhook profile with middleware on the event loop. */
  public static class OnEventLoop extends WebhookProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
      overrides.put("bot.middleware-thread", "event-loop");
      return overrides;
    }
  }

  @Test
  void postedUpdatesStartOnTheEventLoopAndEveryChatCountsInOrder() throws Exception {
    long firstChat = ThreadProbeSetup.FIRST_CHAT + 100;
    int chats = 8;
    int perChat = 15;
    int before = ThreadProbeSetup.onEventLoop().size();
    // Like Telegram: one connection per chat here, each chat's updates posted one after another.
    onConnections(
        chats,
        thread -> {
          long chat = firstChat + thread;
          for (int i = 1; i <= perChat; i++) {
            assertEquals(200, postUntilAccepted(Updates.text(chat, chat, "m" + i)));
          }
        });
    await("all replies", () -> repliesIn(firstChat, chats) >= (long) chats * perChat);
    List<String> texts = new ArrayList<>();
    for (int i = 1; i <= perChat; i++) {
      texts.add("m" + i);
    }
    for (int c = 0; c < chats; c++) {
      assertEquals(numbered(texts), textsOf(firstChat + c), "chat " + (firstChat + c));
    }
    List<Boolean> probed = ThreadProbeSetup.onEventLoop();
    List<Boolean> mine = probed.subList(before, probed.size());
    assertEquals(chats * perChat, mine.size(), "every update probed once");
    assertFalse(mine.contains(false), "an update started off the event loop");
  }
}
