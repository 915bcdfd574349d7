import dev.botrunner.testkit.Updates;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * The measured updates of one run: which chat each belongs to, its ordinal within the chat (the
 * demo bot's reply must carry it), and the critical-path bound that follows from them.
 *
 * <p>Chats are 1..C. {@code uniform} deals updates round-robin; {@code zipf} draws each update's
 * chat with probability proportional to 1/rank^s (fixed seed, so every run gets the same sequence),
 * which gives a few hot chats and a long tail, like a bot in a handful of busy groups.
 */
final class Workload {

  final int n;
  final int chats;
  final int[] chatOf;
  final int[] ordinal;
  final int[] perChat;
  final List<Update> updates;

  private Workload(int n, int chats, int[] chatOf) {
    this.n = n;
    this.chats = chats;
    this.chatOf = chatOf;
    this.ordinal = new int[n];
    this.perChat = new int[chats];
    this.updates = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int c = chatOf[i];
      ordinal[i] = ++perChat[c];
      updates.add(Updates.text(1 + c, 1 + c, "m" + i));
    }
  }

  static Workload of(String dist, int n, int chats, double zipfS) {
    return new Workload(n, chats, chatsOf(dist, n, chats, zipfS));
  }

  /**
   * Draws the chat (0..chats-1) of each of n updates, as {@link #of} does.
   *
   * @param dist {@code uniform} or {@code zipf}
   */
  static int[] chatsOf(String dist, int n, int chats, double zipfS) {
    int[] chatOf = new int[n];
    if (dist.equals("uniform")) {
      for (int i = 0; i < n; i++) {
        chatOf[i] = i % chats;
      }
    } else if (dist.equals("zipf")) {
      double[] cdf = new double[chats];
      double sum = 0;
      for (int k = 0; k < chats; k++) {
        sum += 1 / Math.pow(k + 1, zipfS);
        cdf[k] = sum;
      }
      SplittableRandom random = new SplittableRandom(42);
      for (int i = 0; i < n; i++) {
        int k = Arrays.binarySearch(cdf, random.nextDouble() * sum);
        chatOf[i] = Math.min(chats - 1, k < 0 ? -k - 1 : k);
      }
    } else {
      throw new IllegalArgumentException("--dist must be uniform or zipf, got " + dist);
    }
    return chatOf;
  }

  /** Update count of the busiest chat. */
  int busiestChat() {
    return Arrays.stream(perChat).max().orElse(0);
  }

  /**
   * Update count of the busiest webhook connection: Telegram posts a chat's updates one after
   * another over one connection and waits for each answer, so a connection is a serial path too.
   */
  int busiestConnection(int connections) {
    int[] load = new int[connections];
    for (int c = 0; c < chats; c++) {
      load[c % connections] += perChat[c];
    }
    return Arrays.stream(load).max().orElse(0);
  }

  /** The reply update i must get from the demo bot: "k: mI", k being its ordinal in its chat. */
  String expectedReply(int i) {
    return ordinal[i] + ": m" + i;
  }
}
