package dev.botrunner.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.FakeBotApiResource;
import dev.botrunner.testkit.SentMessage;
import dev.botrunner.testkit.Updates;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Each update is a CDI request of its own (with the default, event-loop, middleware thread): a
 * {@code @RequestScoped} bean set by the first middleware is the one every later step of the same
 * update sees (after a Bot API call, on the event loop, in a blocking handler, after the handler's
 * own hop to a worker, in an error handler), never another update's, while many updates run at
 * once; and it is destroyed when its update ends. See {@link RequestScopeSetup}.
 */
@QuarkusTest
@TestProfile(RequestScopeTest.Polling.class)
class RequestScopeTest {

  /** Polling against the fake, with the default middleware thread. */
  public static class Polling extends PollingAgainstFake {}

  @Test
  void everyStepOfAnUpdateSeesItsOwnRequestScopedBean() {
    assertEachUpdateSeesItsOwnBean(FakeBotApiResource.fake());
  }

  /** Shared with the worker-thread variant. */
  static void assertEachUpdateSeesItsOwnBean(FakeBotApi fake) {
    int chats = 50;
    int perChat = 6;
    int destroyedBefore = RequestScopeSetup.destroyed();
    List<Update> updates = new ArrayList<>();
    for (int i = 0; i < perChat; i++) {
      for (int c = 0; c < chats; c++) {
        long chat = RequestScopeSetup.FIRST_CHAT + c;
        String text = i == perChat - 1 && c % 10 == 0 ? RequestScopeSetup.FAIL : "m" + i;
        updates.add(Updates.text(chat, chat, text));
      }
    }
    fake.enqueue(updates);
    await().atMost(Duration.ofSeconds(60)).until(() -> sentTo(fake, updates) >= updates.size());
    for (Update update : updates) {
      long chat = update.getMessage().getChatId();
      String id = "u" + update.getUpdateId();
      String expected =
          RequestScopeSetup.FAIL.equals(update.getMessage().getText())
              ? "error handler " + id
              : String.join(" ", id, id, id, id, id);
      assertTrue(
          fake.sentMessages(chat).stream().map(SentMessage::text).anyMatch(expected::equals),
          "chat " + chat + " has no reply '" + expected + "': " + fake.sentMessages(chat));
    }
    // One bean per update, each destroyed at its update's end (also the failed ones).
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> RequestScopeSetup.destroyed() - destroyedBefore == updates.size());
    assertEquals(updates.size(), RequestScopeSetup.destroyed() - destroyedBefore);
  }

  private static int sentTo(FakeBotApi fake, List<Update> updates) {
    return updates.stream()
        .map(u -> u.getMessage().getChatId())
        .distinct()
        .mapToInt(chat -> fake.sentMessages(chat).size())
        .sum();
  }
}
