package dev.botrunner.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class BotTesterTest {

  /** A session type as a bot author writes it. */
  public static class Visits {
    public int count;
  }

  @Test
  void runsTheHighLoadExampleAndReadsRepliesAndSessions() {
    try (BotTester bot =
        BotTester.of(
            b ->
                b.on(
                    "message",
                    ctx -> {
                      Visits visits = ctx.session().get(Visits.class, Visits::new);
                      visits.count++;
                      ctx.reply("Got your message. That was number " + visits.count);
                    }))) {
      bot.sendText(42, "hello").sendText(42, "again").sendText(7, "hi");

      assertEquals(
          List.of("Got your message. That was number 1", "Got your message. That was number 2"),
          bot.replies(42));
      assertEquals(List.of("Got your message. That was number 1"), bot.replies(7));
      assertEquals(2, bot.session(42, Visits.class).count);
      assertNull(bot.session(99, Visits.class));
    }
  }

  @Test
  void aFailedUpdateFailsTheSendAndIsListed() {
    IllegalStateException boom = new IllegalStateException("boom");
    try (BotTester bot =
        BotTester.of(
            b ->
                b.on(
                    "message:text",
                    ctx -> {
                      throw boom;
                    }))) {
      AssertionError failure = assertThrows(AssertionError.class, () -> bot.sendText(1, "x"));
      assertSame(boom, failure.getCause());
      assertEquals(List.of(boom), bot.errors());
    }
  }

  @Test
  void commandsReachTheirRoute() {
    try (BotTester bot =
        BotTester.of(b -> b.command("start", ctx -> ctx.reply("hi " + ctx.match())))) {
      bot.sendCommand(5, "start", "there");
      assertEquals(List.of("hi there"), bot.replies(5));
    }
  }
}
