package dev.botrunner.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.ThrottleQueueFullException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The throttle's limits, fairness and bound, on a virtual clock: no test waits for real time. */
class ThrottleTest {

  private static final long SECOND = 1_000_000_000L;

  private record Sent(String chat, int seq, long at) {}

  private final VirtualClock clock = new VirtualClock();
  private final Throttle throttle = Throttle.telegramLimits(10_000, clock, clock);
  private final List<Sent> sent = new ArrayList<>();

  private void send(String chat, int seq) {
    throttle.submit("sendMessage", chat, () -> sent.add(new Sent(chat, seq, clock.getAsLong())));
  }

  /** Asserts at most {@code max} of {@code times} (sorted) fall in any window of {@code width}. */
  private static void assertAtMost(int max, long width, List<Long> times, String what) {
    for (int i = 0; i + max < times.size(); i++) {
      long gap = times.get(i + max) - times.get(i);
      assertTrue(gap >= width, what + ": " + (max + 1) + " messages within " + gap + " ns");
    }
  }

  @Test
  void twoHundredMessagesKeepEveryLimitAndArriveInOrder() {
    String[] privates = {"11", "12", "13", "14", "15"};
    String[] groups = {"-21", "-1001000000022", "-23"};
    Map<String, Integer> counts = new LinkedHashMap<>();
    int total = 0;
    // 5 private chats x 28 = 140, then 25 + 25 + 10 to the groups = 200; some arrive later.
    for (int round = 0; round < 28; round++) {
      for (String chat : privates) {
        send(chat, counts.merge(chat, 1, Integer::sum));
        total++;
      }
      if (round == 10) {
        clock.advance(SECOND / 3); // later arrivals mix with what is already queued
      }
    }
    int[] perGroup = {25, 25, 10};
    for (int g = 0; g < groups.length; g++) {
      for (int i = 0; i < perGroup[g]; i++) {
        send(groups[g], counts.merge(groups[g], 1, Integer::sum));
        total++;
      }
    }
    assertEquals(200, total);
    clock.advance(300 * SECOND);

    assertEquals(200, sent.size(), "all delivered");
    assertEquals(0, throttle.queued());
    List<Long> all = sent.stream().map(Sent::at).sorted().toList();
    assertAtMost(30, SECOND, all, "overall");
    Map<String, List<Sent>> byChat =
        sent.stream()
            .collect(Collectors.groupingBy(Sent::chat, LinkedHashMap::new, Collectors.toList()));
    for (String chat : privates) {
      List<Sent> list = byChat.get(chat);
      assertEquals(28, list.size());
      assertAtMost(1, SECOND, list.stream().map(Sent::at).toList(), "private " + chat);
    }
    for (String chat : groups) {
      assertAtMost(20, 60 * SECOND, byChat.get(chat).stream().map(Sent::at).toList(), chat);
    }
    byChat.forEach(
        (chat, list) -> {
          for (int i = 0; i < list.size(); i++) {
            assertEquals(i + 1, list.get(i).seq(), "FIFO in " + chat);
          }
        });
    // Nothing waits longer than the limits require: 28 per private chat at 1/s is 27 s (plus the
    // 1/3 s pause); the 21st group message waits for the minute.
    long start = all.get(0);
    long last = all.get(all.size() - 1);
    assertTrue(last - start <= 61 * SECOND, "done within the group window: " + (last - start));
  }

  @Test
  void aChattyChatDoesNotDelayOthersBeyondTheLimits() {
    for (int i = 1; i <= 25; i++) {
      send("-5", i); // 20 go at once, 5 wait for the minute
    }
    for (int i = 1; i <= 5; i++) {
      send("7", i);
    }
    send("8", 1);
    clock.advance(0);
    // Overall 30/s: 20 group + 1 each for chats 7 and 8 go at once.
    assertTrue(sent.stream().anyMatch(s -> s.chat().equals("8") && s.seq() == 1));
    assertEquals(1, sent.stream().filter(s -> s.chat().equals("7")).count());
    assertEquals(20, sent.stream().filter(s -> s.chat().equals("-5")).count());
    clock.advance(4 * SECOND);
    assertEquals(5, sent.stream().filter(s -> s.chat().equals("7")).count());
    assertEquals(20, sent.stream().filter(s -> s.chat().equals("-5")).count());
    clock.advance(60 * SECOND);
    assertEquals(25, sent.stream().filter(s -> s.chat().equals("-5")).count());
  }

  @Test
  void theOverallLimitIsSharedRoundRobin() {
    // 40 private chats with 2 messages each: the first 30 go at once, the rest in the next second,
    // chats served in turn (every chat's first message before any chat's second).
    for (int round = 1; round <= 2; round++) {
      for (int chat = 1; chat <= 40; chat++) {
        send(Integer.toString(chat), round);
      }
    }
    assertEquals(30, sent.size());
    clock.advance(SECOND);
    assertEquals(60, sent.size());
    assertTrue(sent.subList(0, 40).stream().allMatch(s -> s.seq() == 1), "round robin");
    clock.advance(SECOND);
    assertEquals(80, sent.size());
    assertAtMost(30, SECOND, sent.stream().map(Sent::at).toList(), "overall");
  }

  @Test
  void aFullQueueFailsAtOnceNamingTheSetting() {
    Throttle small = Throttle.telegramLimits(3, clock, clock);
    List<Integer> released = new ArrayList<>();
    small.submit("sendMessage", "1", () -> released.add(1)); // goes at once
    for (int i = 2; i <= 4; i++) {
      int n = i;
      small.submit("sendMessage", "1", () -> released.add(n)); // 3 wait
    }
    ThrottleQueueFullException full =
        assertThrows(
            ThrottleQueueFullException.class,
            () -> small.submit("sendPhoto", "1", () -> released.add(5)));
    assertTrue(full.getMessage().contains("BOT_API_THROTTLE_MAX_QUEUE"), full.getMessage());
    assertTrue(full.getMessage().startsWith("sendPhoto"), full.getMessage());
    assertTrue(
        small
                .acquire("sendMessage", "2")
                .onFailure()
                .recoverWithItem(() -> null)
                .await()
                .indefinitely()
            == null);
    clock.advance(5 * SECOND);
    assertEquals(List.of(1, 2, 3, 4), released);
  }

  @Test
  void onlySendingMethodsCount() {
    assertTrue(Throttle.counts("sendMessage"));
    assertTrue(Throttle.counts("sendMediaGroup"));
    assertTrue(Throttle.counts("copyMessage"));
    assertTrue(!Throttle.counts("editMessageText"));
    assertTrue(!Throttle.counts("sendChatAction"));
    assertTrue(!Throttle.counts("getUpdates"));
  }
}
