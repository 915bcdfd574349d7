package dev.botrunner.internal.client;

import dev.botrunner.ThrottleQueueFullException;
import io.smallrye.mutiny.Uni;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Keeps outbound messages within Telegram's broadcast limits: at most 30 per second overall, 1 per
 * second per private chat, 20 per minute per group or channel. Each limit is a sliding window, so
 * "at most N in any window of W" holds exactly, not just per calendar second.
 *
 * <p>Fairness: every chat has its own FIFO queue; chats whose own limit allows a message wait in
 * one round-robin line, chats that must wait for their own window sit in a timer queue. A busy chat
 * therefore never delays another chat beyond what the overall limit requires. The number of waiting
 * messages is bounded: when full, {@link #acquire} fails at once with {@link
 * ThrottleQueueFullException}.
 *
 * <p>Time and timers are injected ({@code nanoTime} and a {@link Scheduler}), so tests run it on a
 * virtual clock. A message is counted when it is released (just before its HTTP request starts).
 */
final class Throttle {

  /** Runs a task after a delay; production uses a Vert.x timer, tests a virtual clock. */
  @FunctionalInterface
  public interface Scheduler {
    /**
     * @param delayNanos how long to wait, at least 0
     * @param task what to run then
     */
    void schedule(long delayNanos, Runnable task);
  }

  /** The methods that send a message and so count against the limits. */
  public static final Set<String> COUNTED_METHODS =
      Set.of(
          "sendMessage",
          "sendPhoto",
          "sendAudio",
          "sendDocument",
          "sendVideo",
          "sendAnimation",
          "sendVoice",
          "sendVideoNote",
          "sendPaidMedia",
          "sendMediaGroup",
          "sendLocation",
          "sendVenue",
          "sendContact",
          "sendPoll",
          "sendDice",
          "sendSticker",
          "sendInvoice",
          "sendGame",
          "sendChecklist",
          "copyMessage",
          "copyMessages",
          "forwardMessage",
          "forwardMessages");

  private static final long SECOND = 1_000_000_000L;

  /** A group's window: Telegram counts a group's messages per minute. */
  private static final long MINUTE = 60 * SECOND;

  /** A sliding-window log: at most {@code max} events in any window of {@code width}. */
  private static final class Window {
    final int max;
    final long width;
    final ArrayDeque<Long> times = new ArrayDeque<>();

    Window(int max, long width) {
      this.max = max;
      this.width = width;
    }

    void prune(long now) {
      while (!times.isEmpty() && now - times.peekFirst() >= width) {
        times.pollFirst();
      }
    }

    /** The earliest time at or after {@code now} when one more event is allowed. */
    long nextFree(long now) {
      prune(now);
      return times.size() < max ? now : times.peekFirst() + width;
    }

    void add(long now) {
      times.addLast(now);
    }
  }

  private static final class Chat {
    final String key;
    final Window window;
    final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    long dueAt;

    Chat(String key, Window window) {
      this.key = key;
      this.window = window;
    }
  }

  private record Expiry(Chat chat, long at) {}

  private final int privatePerSecond;
  private final int groupPerMinute;
  private final int maxQueue;
  private final LongSupplier nanoTime;
  private final Scheduler scheduler;
  private final Window global;
  private final Map<String, Chat> chats = new HashMap<>();
  private final ArrayDeque<Chat> ready = new ArrayDeque<>();
  private final PriorityQueue<Chat> delayed =
      new PriorityQueue<>((a, b) -> Long.compare(a.dueAt - b.dueAt, 0));
  private final ArrayDeque<Expiry> idle = new ArrayDeque<>();
  private int queued;
  private boolean timerPending;
  private long timerAt;

  /**
   * @param perSecond overall messages per second (Telegram: 30)
   * @param privatePerSecond messages per second to one private chat (Telegram: 1)
   * @param groupPerMinute messages per minute to one group or channel (Telegram: 20)
   * @param maxQueue messages that may wait at once
   * @param nanoTime the clock, e.g. {@code System::nanoTime}
   * @param scheduler runs the next release when its time comes
   */
  public Throttle(
      int perSecond,
      int privatePerSecond,
      int groupPerMinute,
      int maxQueue,
      LongSupplier nanoTime,
      Scheduler scheduler) {
    if (perSecond < 1 || privatePerSecond < 1 || groupPerMinute < 1 || maxQueue < 1) {
      throw new IllegalArgumentException("throttle limits must be positive");
    }
    this.privatePerSecond = privatePerSecond;
    this.groupPerMinute = groupPerMinute;
    this.maxQueue = maxQueue;
    this.nanoTime = nanoTime;
    this.scheduler = scheduler;
    this.global = new Window(perSecond, SECOND);
  }

  /**
   * Telegram's documented limits: 30/s overall, 1/s per private chat, 20/min per group.
   *
   * @param maxQueue messages that may wait at once
   * @param nanoTime the clock
   * @param scheduler the timer
   * @return a throttle
   */
  public static Throttle telegramLimits(int maxQueue, LongSupplier nanoTime, Scheduler scheduler) {
    return new Throttle(30, 1, 20, maxQueue, nanoTime, scheduler);
  }

  /**
   * @param method a Bot API method name
   * @return whether it sends a message and so goes through the throttle
   */
  public static boolean counts(String method) {
    return COUNTED_METHODS.contains(method);
  }

  /**
   * Waits for a permit to send one message to {@code chatId}.
   *
   * @param method the method, for the error when the queue is full
   * @param chatId the target chat as Telegram gets it: positive ids are private chats; negative ids
   *     and {@code @username} are groups and channels
   * @return completes when the message may go; fails with {@link ThrottleQueueFullException}
   */
  public Uni<Void> acquire(String method, String chatId) {
    return Uni.createFrom()
        .emitter(
            emitter -> {
              try {
                submit(method, chatId, () -> emitter.complete(null));
              } catch (ThrottleQueueFullException e) {
                emitter.fail(e);
              }
            });
  }

  /**
   * Waits for a permit like {@link #acquire}, as a future for botrunner's own per-update path.
   *
   * @param method the method, for the error when the queue is full
   * @param chatId the target chat
   * @return completes when the message may go; fails with {@link ThrottleQueueFullException}
   */
  CompletableFuture<Void> acquireNow(String method, String chatId) {
    CompletableFuture<Void> permit = new CompletableFuture<>();
    try {
      submit(method, chatId, () -> permit.complete(null));
    } catch (ThrottleQueueFullException e) {
      permit.completeExceptionally(e);
    }
    return permit;
  }

  /**
   * Queues {@code release}, which runs (on this thread or the scheduler's) when the message may go.
   *
   * @param method the method, for the error when the queue is full
   * @param chatId the target chat
   * @param release what to run once the limits allow
   * @throws ThrottleQueueFullException when {@code maxQueue} messages already wait
   */
  public void submit(String method, String chatId, Runnable release) {
    List<Runnable> due;
    synchronized (this) {
      if (queued >= maxQueue) {
        throw new ThrottleQueueFullException(method, maxQueue);
      }
      long now = nanoTime.getAsLong();
      Chat chat = chats.computeIfAbsent(chatId, this::newChat);
      chat.waiting.addLast(release);
      queued++;
      if (chat.waiting.size() == 1) {
        place(chat, now);
      }
      due = drain(now);
    }
    due.forEach(Runnable::run);
  }

  /**
   * @return messages waiting for their turn
   */
  public synchronized int queued() {
    return queued;
  }

  private Chat newChat(String key) {
    boolean privateChat;
    try {
      privateChat = Long.parseLong(key.trim()) > 0;
    } catch (NumberFormatException e) {
      privateChat = false; // @channelusername
    }
    return new Chat(
        key,
        privateChat ? new Window(privatePerSecond, SECOND) : new Window(groupPerMinute, MINUTE));
  }

  /**
   * Puts a chat with waiting messages in the ready line or, if its own window is full, the timer.
   */
  private void place(Chat chat, long now) {
    long free = chat.window.nextFree(now);
    if (free - now <= 0) {
      ready.addLast(chat);
    } else {
      chat.dueAt = free;
      delayed.add(chat);
    }
  }

  private List<Runnable> drain(long now) {
    List<Runnable> due = new ArrayList<>();
    while (!delayed.isEmpty() && delayed.peek().dueAt - now <= 0) {
      ready.addLast(delayed.poll());
    }
    while (!ready.isEmpty() && global.nextFree(now) - now <= 0) {
      Chat chat = ready.pollFirst();
      due.add(chat.waiting.pollFirst());
      queued--;
      chat.window.add(now);
      global.add(now);
      if (chat.waiting.isEmpty()) {
        idle.addLast(new Expiry(chat, now + chat.window.width));
      } else {
        place(chat, now); // to the back of the line: round robin
      }
    }
    while (!idle.isEmpty() && now - idle.peekFirst().at() >= 0) {
      Chat chat = idle.pollFirst().chat();
      chat.window.prune(now);
      if (chat.waiting.isEmpty() && chat.window.times.isEmpty()) {
        chats.remove(chat.key, chat);
      }
    }
    long next;
    if (!ready.isEmpty()) {
      next = global.nextFree(now);
    } else if (!delayed.isEmpty()) {
      long chatFree = delayed.peek().dueAt;
      long globalFree = global.nextFree(now);
      next = chatFree - globalFree >= 0 ? chatFree : globalFree;
    } else {
      return due;
    }
    if (!timerPending || next - timerAt < 0) {
      timerPending = true;
      timerAt = next;
      long at = next;
      scheduler.schedule(Math.max(0, next - now), () -> onTimer(at));
    }
    return due;
  }

  private void onTimer(long at) {
    List<Runnable> due;
    synchronized (this) {
      if (timerPending && timerAt == at) {
        timerPending = false;
      }
      due = drain(nanoTime.getAsLong());
    }
    due.forEach(Runnable::run);
  }
}
