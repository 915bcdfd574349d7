package dev.botrunner.bench.rest;

import dev.botrunner.internal.dispatch.Outcome;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * A copy of botrunner's {@code dev.botrunner.internal.webhook.RecentUpdates}, which is package-private: the
 * last {@code capacity} update ids received, each with the stage of its outcome, so a re-sent
 * update is answered without being processed twice. Same code, so both endpoints pay the same.
 */
final class RecentUpdates {

  private final LinkedHashMap<Integer, CompletionStage<Outcome>> ids;

  RecentUpdates(int capacity) {
    this.ids =
        new LinkedHashMap<>(Math.min(capacity, 1 << 16) * 4 / 3 + 1) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<Integer, CompletionStage<Outcome>> e) {
            return size() > capacity;
          }
        };
  }

  synchronized CompletionStage<Outcome> putIfAbsent(int id, CompletionStage<Outcome> outcome) {
    return ids.putIfAbsent(id, outcome);
  }

  synchronized CompletionStage<Outcome> get(int id) {
    return ids.get(id);
  }

  synchronized void remove(int id, CompletionStage<Outcome> outcome) {
    ids.remove(id, outcome);
  }
}
