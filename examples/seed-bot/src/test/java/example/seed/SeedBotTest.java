package example.seed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.botrunner.testkit.BotTester;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeedBotTest {

  @Test
  void countsEachChatsMessagesInItsSession() {
    try (BotTester bot = BotTester.of(new SeedBot())) {
      bot.sendText(1, "hi").sendText(1, "again").sendText(2, "hello");

      assertEquals(List.of(reply(1), reply(2)), bot.replies(1));
      assertEquals(List.of(reply(1)), bot.replies(2));
      assertEquals(2, bot.session(1, SeedBot.Visits.class).count);
    }
  }

  private static String reply(int n) {
    return "Got your message. That was number " + n;
  }
}
