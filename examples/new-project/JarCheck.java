import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.SentMessage;
import dev.botrunner.testkit.Updates;
import java.io.File;
import java.time.Duration;
import java.util.List;

/**
 * Starts a packaged bot ({@code java -jar}) in polling mode against the test kit's fake Bot API and
 * sends one chat {@code /start}, two texts and a last text. The bot's handler replies and passes
 * each update on, so anything else in the chain (botrunner's demo bot, were it installed, greets
 * {@code /start} and counts texts) would answer too. A chat's updates run in order, so once the
 * reply to the last text is in, every earlier update has finished: the replies up to it must be the
 * project's own, and only those. Exit code 0 when all holds.
 */
public class JarCheck {

  public static void main(String[] args) throws Exception {
    File log = File.createTempFile("acme-bot", ".log");
    try (FakeBotApi telegram = FakeBotApi.start()) {
      ProcessBuilder builder = new ProcessBuilder("java", "-jar", args[0]);
      builder.environment().put("BOT_TOKEN", FakeBotApi.TOKEN);
      builder.environment().put("BOT_API_URL", telegram.baseUrl());
      builder.environment().put("BOT_MODE", "polling");
      builder.environment().put("BOT_POLLING_TIMEOUT", "1");
      builder.environment().put("QUARKUS_HTTP_PORT", "0");
      builder.redirectErrorStream(true).redirectOutput(log);
      Process bot = builder.start();
      try {
        telegram.enqueue(
            Updates.command(1, 1, "start", null),
            Updates.text(1, 1, "hello"),
            Updates.text(1, 1, "again"),
            Updates.text(1, 1, "last"));
        List<String> expected =
            List.of(
                "acme heard: /start", "acme heard: hello", "acme heard: again", "acme heard: last");
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!texts(telegram, 1).contains("acme heard: last")) {
          if (System.nanoTime() > deadline) {
            fail("no reply to the last text within 90 s: " + texts(telegram, 1), log);
          }
          telegram.awaitSentMessages(telegram.sentMessages().size() + 1, Duration.ofSeconds(1));
        }
        List<String> replies = texts(telegram, 1);
        List<String> upToLast = replies.subList(0, replies.indexOf("acme heard: last") + 1);
        if (!upToLast.equals(expected)) {
          fail("unexpected replies: " + replies, log);
        }
        System.out.println("OK: the jar answered with its own handler only: " + upToLast);
      } finally {
        bot.destroy();
        bot.waitFor();
      }
    }
  }

  private static List<String> texts(FakeBotApi telegram, long chat) {
    return telegram.sentMessages(chat).stream().map(SentMessage::text).toList();
  }

  private static void fail(String why, File log) throws Exception {
    System.err.println("FAILED: " + why);
    System.err.println(new String(java.nio.file.Files.readAllBytes(log.toPath())));
    System.exit(1);
  }
}
