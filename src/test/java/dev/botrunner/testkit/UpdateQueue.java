package dev.botrunner.testkit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The updates Telegram would be holding for the bot, with getUpdates' confirm-by-offset and
 * long-poll semantics.
 */
final class UpdateQueue {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final List<ObjectNode> pending = new ArrayList<>();
  // How many getUpdates answers carried each update id: a poller that fetches an update again
  // while it is still unconfirmed costs work that a benchmark wants to see (issue 17).
  private final Map<Integer, Integer> handedOut = new HashMap<>();
  private boolean closed;

  /** Whether every update was queued with a higher id than all before it (Telegram's order). */
  private boolean ascending = true;

  private long lastAddedId = Long.MIN_VALUE;

  void add(List<ObjectNode> updates) {
    for (ObjectNode update : updates) {
      if (!update.path("update_id").canConvertToInt()) {
        throw new IllegalArgumentException("An update needs an integer update_id: " + update);
      }
    }
    lock.lock();
    try {
      for (ObjectNode update : updates) {
        long id = idOf(update);
        ascending &= id > lastAddedId;
        lastAddedId = Math.max(lastAddedId, id);
      }
      pending.addAll(updates);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  int size() {
    lock.lock();
    try {
      return pending.size();
    } finally {
      lock.unlock();
    }
  }

  void clear() {
    lock.lock();
    try {
      pending.clear();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Confirms by {@code offset}, then hands out up to {@code limit} updates, waiting up to {@code
   * timeoutSeconds} for one to arrive when none is pending.
   */
  ArrayNode poll(Long offset, int limit, long timeoutSeconds) throws InterruptedException {
    lock.lock();
    try {
      if (offset != null && offset < 0) {
        // Telegram: a negative offset keeps only the last -offset updates, forgetting the rest.
        int keep = (int) Math.min(pending.size(), -offset);
        pending.subList(0, pending.size() - keep).clear();
      }
      long left = TimeUnit.SECONDS.toNanos(Math.max(0, timeoutSeconds));
      while (true) {
        if (offset != null && offset > 0) {
          // Confirmation is permanent: a later call with a smaller offset cannot bring these back.
          confirm(offset);
        }
        if (!pending.isEmpty() || closed || left <= 0) {
          break;
        }
        left = changed.awaitNanos(left);
      }
      ArrayNode result = Json.MAPPER.createArrayNode();
      for (int i = 0; i < Math.min(limit, pending.size()); i++) {
        ObjectNode update = pending.get(i);
        result.add(update.deepCopy());
        handedOut.merge(update.get("update_id").asInt(), 1, Integer::sum);
      }
      return result;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Drops the pending updates below {@code offset}. Telegram's ids only grow, so they are usually a
   * prefix of the queue: then only that prefix is read, not the whole queue at every poll (40,000
   * updates queued for a benchmark made each poll scan them all). Updates a test queued out of
   * order are still all checked.
   */
  private void confirm(long offset) {
    if (ascending) {
      int confirmed = 0;
      while (confirmed < pending.size() && idOf(pending.get(confirmed)) < offset) {
        confirmed++;
      }
      pending.subList(0, confirmed).clear();
    } else {
      pending.removeIf(u -> idOf(u) < offset);
    }
  }

  private static long idOf(ObjectNode update) {
    return update.get("update_id").asLong();
  }

  /** How many getUpdates answers have carried {@code updateId} since the last {@link #forget}. */
  int deliveries(int updateId) {
    lock.lock();
    try {
      return handedOut.getOrDefault(updateId, 0);
    } finally {
      lock.unlock();
    }
  }

  /** A snapshot of every count, by update id, since the last {@link #forget}. */
  Map<Integer, Integer> deliveries() {
    lock.lock();
    try {
      return Map.copyOf(handedOut);
    } finally {
      lock.unlock();
    }
  }

  /** Forgets the delivery counts (not the pending updates). */
  void forget() {
    lock.lock();
    try {
      handedOut.clear();
    } finally {
      lock.unlock();
    }
  }

  /** Releases every waiting long poll so the server can stop without waiting out timeouts. */
  void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
