import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.Updates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * The warm-up before a measured run: updates on chat ids of their own (1,000,000 and up), so the
 * measured chats start with empty sessions (count 1, 2, ...), in as many chats as the bench asks
 * for and drawn as it asks (round-robin, or with the measured part's distribution), so that a
 * 10-chat case need not warm up on 10 slow chains and a hot-chat case can warm up on the shape it
 * is measured on.
 */
final class WarmUp {

  private static final long FIRST_CHAT = 1_000_000L;

  private WarmUp() {}

  /**
   * Sends the warm-up and waits for its replies.
   *
   * @param chatOf the chat index (from 0) of each warm-up update
   * @param scrapeHalfway read the service's metrics once halfway (polling services; see below)
   */
  static void run(
      FakeBotApi fake,
      ServiceProcess bot,
      Sender sender,
      boolean scrapeHalfway,
      int[] chatOf,
      Duration timeout)
      throws Exception {
    int warmup = chatOf.length;
    List<Update> w = new ArrayList<>(warmup);
    for (int i = 0; i < warmup; i++) {
      w.add(Updates.text(FIRST_CHAT + chatOf[i], FIRST_CHAT + chatOf[i], "w" + i));
    }
    // Polling, the service's only inbound HTTP is the /q/metrics read around the measured
    // part. The first such request loads the HTTP server's classes and brings new types into
    // the network code the Bot API client shares with it: C2 then drops some 50 of its largest
    // compiled methods and recompiles them, which took most of the JIT's CPU in the measured
    // burst, even after 120,000 warm-up updates. One read halfway through the warm-up moves
    // that into the warm-up, as a deployment's health probes and scrapes do from the start.
    int split = scrapeHalfway && warmup > 1 ? warmup / 2 : warmup;
    Thread waiter = LoadDriver.awaitInBackground(fake, bot, split, timeout, "warm-up");
    sender.send(w.subList(0, split), Arrays.copyOfRange(chatOf, 0, split), 0);
    waiter.join();
    if (split < warmup) {
      ServiceMeters.scrape(bot.httpPort);
      waiter = LoadDriver.awaitInBackground(fake, bot, warmup, timeout, "warm-up");
      sender.send(w.subList(split, warmup), Arrays.copyOfRange(chatOf, split, warmup), 0);
      waiter.join();
    }
  }
}
