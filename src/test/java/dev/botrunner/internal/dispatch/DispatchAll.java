package dev.botrunner.internal.dispatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.telegram.telegrambots.meta.api.objects.Update;

/** Test support: hands a batch of updates to a dispatcher at once and waits for every outcome. */
public final class DispatchAll {

  private DispatchAll() {}

  /**
   * Dispatches every update, then waits for all of them.
   *
   * @param timeout how long the whole batch may take before the test fails
   * @return each update's outcome, in the order given
   */
  public static List<Outcome> run(Dispatcher dispatcher, List<Update> updates, Duration timeout) {
    List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
    for (Update update : updates) {
      outcomes.add(dispatcher.dispatch(update).toCompletableFuture());
    }
    CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .join();
    return outcomes.stream().map(CompletableFuture::join).toList();
  }
}
