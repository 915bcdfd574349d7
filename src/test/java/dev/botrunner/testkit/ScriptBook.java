package dev.botrunner.testkit;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Per-method queues of scripted answers and per-method latency, shared by all handler threads. */
final class ScriptBook {

  private final Map<String, Deque<ScriptedResponse>> queues = new HashMap<>();
  private final Map<String, Duration> latency = new HashMap<>();

  // Telegram method names are case-insensitive, so scripts must match whatever case is sent.
  private static String key(String method) {
    return method.toLowerCase(Locale.ROOT);
  }

  synchronized void add(String method, ScriptedResponse response) {
    queues.computeIfAbsent(key(method), k -> new ArrayDeque<>()).addLast(response);
  }

  synchronized void times(String method, ScriptedResponse response, int times) {
    Deque<ScriptedResponse> queue = queues.computeIfAbsent(key(method), k -> new ArrayDeque<>());
    response.total = times;
    // A request may have used the answer between its creation and this call; it still counts,
    // and the answer goes back in front if uses remain, so times(n) always means n uses.
    boolean queued = queue.contains(response);
    if (response.used < times && !queued) {
      queue.addFirst(response);
    } else if (response.used >= times && queued) {
      queue.remove(response);
    }
  }

  synchronized void delay(ScriptedResponse response, Duration delay) {
    response.delay = delay;
  }

  synchronized ScriptedResponse.Taken next(String method) {
    Deque<ScriptedResponse> queue = queues.get(key(method));
    if (queue == null || queue.isEmpty()) {
      return null;
    }
    ScriptedResponse head = queue.peekFirst();
    if (++head.used >= head.total) {
      queue.removeFirst();
    }
    return new ScriptedResponse.Taken(head.kind, head.reply, head.delay);
  }

  synchronized void latency(String method, Duration delay) {
    if (delay == null || delay.isZero()) {
      latency.remove(key(method));
    } else {
      latency.put(key(method), delay);
    }
  }

  synchronized Duration latency(String method) {
    return latency.getOrDefault(key(method), Duration.ZERO);
  }

  synchronized void clear() {
    queues.clear();
    latency.clear();
  }
}
