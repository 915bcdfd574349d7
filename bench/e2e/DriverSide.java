import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.SentMessage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the driver can tell about its own side of a run: the pacing of the measured part as the fake
 * saw it ({@code --dump-polls}), and the CPU of the driver's JVM, which shares the machine with the
 * bot.
 */
final class DriverSide {

  private DriverSide() {}

  /**
   * Writes each {@code getUpdates} of the measured part (ms after the hand-over began, and when it
   * was answered; offset, limit), then each reply (ms after the hand-over; the fake's arrival and
   * answer on {@link System#nanoTime()}, one clock for every process on the machine, so a bot's own
   * timings can be matched; the chat).
   *
   * @param t0 the hand-over's start, on {@link System#nanoTime()}
   */
  static void writePolls(FakeBotApi fake, long t0, Path file) throws IOException {
    StringBuilder dump = new StringBuilder();
    for (var call : fake.getUpdatesCalls()) {
      dump.append(ms("poll", call.call().arrivalNanos() - t0))
          .append(ms(" answered", fake.answeredNanos(call.call()) - t0))
          .append(" offset=")
          .append(call.offset())
          .append(" limit=")
          .append(call.limit())
          .append('\n');
    }
    for (SentMessage sent : fake.sentMessages()) {
      dump.append(ms("reply", sent.call().arrivalNanos() - t0))
          .append(" abs ")
          .append(sent.call().arrivalNanos())
          .append(' ')
          .append(fake.answeredNanos(sent.call()))
          .append(' ')
          .append(sent.chatId())
          .append('\n');
    }
    Files.writeString(file, dump);
  }

  /** CPU time of this JVM: the driver, the fake Bot API and nothing of the bot's. */
  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static String ms(String label, long nanos) {
    return String.format(Locale.ROOT, "%s %.1f", label, nanos / 1e6);
  }
}
