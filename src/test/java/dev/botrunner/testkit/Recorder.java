package dev.botrunner.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Everything the fake has seen, kept in arrival order; waits are plain monitor waits.
 *
 * <p>A new call or message wakes a waiter only when it may be what the waiter waits for: under load
 * (tens of thousands of calls a second) waking every waiter at each one cost the fake, and the bots
 * measured beside it, a context switch and a contended lock per call.
 */
final class Recorder {

  private final List<RecordedCall> calls = new ArrayList<>();
  private final List<SentMessage> sent = new ArrayList<>();
  // Call sequence -> System.nanoTime() when its answer was written; a separate map keeps
  // RecordedCall immutable.
  private final java.util.Map<Long, Long> answeredAt = new java.util.HashMap<>();
  private long callSequence;
  private long sentSequence;

  /** The message counts that waiters of {@link #awaitSent} wait for, lowest first. */
  private final PriorityQueue<Integer> sentTargets = new PriorityQueue<>();

  /** Waiters of {@link #awaitCalls}, woken at every call (their condition filters by method). */
  private int callWaiters;

  synchronized RecordedCall record(
      String method,
      String httpMethod,
      String path,
      JsonNode params,
      String rawBody,
      long nanos,
      List<UploadedFile> files) {
    RecordedCall call =
        new RecordedCall(++callSequence, method, httpMethod, path, params, rawBody, nanos, files);
    calls.add(call);
    if (callWaiters > 0) {
      notifyAll();
    }
    return call;
  }

  synchronized SentMessage sent(long chatId, String text, int messageId, RecordedCall call) {
    SentMessage message = new SentMessage(++sentSequence, chatId, text, messageId, call);
    sent.add(message);
    Integer lowest = sentTargets.peek();
    if (lowest != null && sent.size() >= lowest) {
      notifyAll();
    }
    return message;
  }

  synchronized List<RecordedCall> calls(Predicate<RecordedCall> filter) {
    return calls.stream().filter(filter).toList();
  }

  synchronized List<SentMessage> sent(Predicate<SentMessage> filter) {
    return sent.stream().filter(filter).toList();
  }

  synchronized boolean awaitSent(int count, Duration timeout) throws InterruptedException {
    sentTargets.add(count);
    try {
      return await(() -> sent.size() >= count, timeout);
    } finally {
      sentTargets.remove(count);
    }
  }

  synchronized boolean awaitCalls(String method, int count, Duration timeout)
      throws InterruptedException {
    callWaiters++;
    try {
      return await(() -> calls.stream().filter(c -> c.isMethod(method)).count() >= count, timeout);
    } finally {
      callWaiters--;
    }
  }

  private boolean await(BooleanSupplier done, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      // wait() takes millis; round up so a sub-millisecond remainder still waits.
      wait(Math.max(1, (left + 999_999) / 1_000_000));
    }
    return true;
  }

  synchronized void answered(RecordedCall call, long nanos) {
    answeredAt.put(call.sequence(), nanos);
  }

  synchronized long answeredAt(RecordedCall call) {
    return answeredAt.getOrDefault(call.sequence(), 0L);
  }

  synchronized void reset() {
    calls.clear();
    sent.clear();
    answeredAt.clear();
  }
}
