package dev.botrunner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.FakeBotApiResource;
import dev.botrunner.testkit.SentMessage;
import dev.botrunner.testkit.Updates;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * {@code BOT_MIDDLEWARE_THREAD=event-loop} in the packaged service: updates start on the event
 * loop, and the demo bot (reactive) still counts every chat's messages once and in order.
 */
@QuarkusTest
@TestProfile(PollingOnEventLoopTest.OnEventLoop.class)
class PollingOnEventLoopTest {

  /** Polling against the fake, middleware on the event loop. */
  public static class OnEventLoop implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("bot.middleware-thread", "event-loop");
    }

    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(FakeBotApiResource.class));
    }
  }

  @Test
  void updatesStartOnTheEventLoopAndEveryChatCountsInOrder() throws Exception {
    FakeBotApi fake = FakeBotApiResource.fake();
    int chats = 20;
    int perChat = 50;
    List<Update> updates = new ArrayList<>();
    for (int i = 1; i <= perChat; i++) {
      for (int c = 0; c < chats; c++) {
        long chat = ThreadProbeSetup.FIRST_CHAT + c;
        updates.add(Updates.text(chat, chat, "m" + i));
      }
    }
    fake.enqueue(updates);
    assertTrue(fake.awaitSentMessages(chats * perChat, Duration.ofSeconds(120)), "all replied");
    for (int c = 0; c < chats; c++) {
      long chat = ThreadProbeSetup.FIRST_CHAT + c;
      List<String> expected = new ArrayList<>();
      for (int i = 1; i <= perChat; i++) {
        expected.add(i + ": m" + i);
      }
      assertEquals(
          expected,
          fake.sentMessages(chat).stream().map(SentMessage::text).toList(),
          "chat " + chat);
    }
    List<Boolean> onLoop = ThreadProbeSetup.onEventLoop();
    assertEquals(chats * perChat, onLoop.size(), "every update probed once");
    assertFalse(onLoop.contains(false), "an update started off the event loop");
  }
}
