package dev.botrunner.internal.webhook;

import dev.botrunner.internal.dispatch.Outcome;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The last {@code capacity} update ids received by the webhook, each with the stage of its outcome,
 * so a re-sent update is recognised (and can be answered when the original finishes) instead of
 * processed twice. In memory only: a restart forgets it.
 */
public final class RecentUpdates {

  private final LinkedHashMap<Integer, CompletionStage<Outcome>> ids;

  public RecentUpdates(int capacity) {
    this.ids =
        new LinkedHashMap<>(Math.min(capacity, 1 << 16) * 4 / 3 + 1) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<Integer, CompletionStage<Outcome>> e) {
            return size() > capacity;
          }
        };
  }

  /**
   * Records {@code id} unless it is known.
   *
   * @return the earlier update's outcome stage when the id was already received, else null
   */
  public synchronized CompletionStage<Outcome> putIfAbsent(
      int id, CompletionStage<Outcome> outcome) {
    return ids.putIfAbsent(id, outcome);
  }

  /**
   * @return the outcome stage of {@code id} when it was received recently, else null
   */
  public synchronized CompletionStage<Outcome> get(int id) {
    return ids.get(id);
  }

  /** Forgets {@code id} if it still maps to {@code outcome}, so a re-send is processed again. */
  public synchronized void remove(int id, CompletionStage<Outcome> outcome) {
    ids.remove(id, outcome);
  }

  public synchronized int size() {
    return ids.size();
  }
}
