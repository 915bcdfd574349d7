package dev.botrunner.internal.polling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The loop's step in flight is tracked right even when a step completes while it subscribes. */
class PollStepsTest {

  private final List<Throwable> failures = new CopyOnWriteArrayList<>();
  private final PollSteps steps = new PollSteps(failures::add);

  @Test
  void aStepThatCompletesSynchronouslyLeavesNothingInFlight() {
    AtomicBoolean continued = new AtomicBoolean();
    steps.run(Uni.createFrom().item("done"), item -> continued.set(true));
    assertTrue(continued.get());
    assertFalse(steps.busy(), "no step is in flight after a synchronous one");
  }

  @Test
  void cancelReachesTheStepStartedByASynchronousOne() {
    AtomicBoolean secondCancelled = new AtomicBoolean();
    AtomicBoolean secondContinued = new AtomicBoolean();
    Uni<String> never =
        Uni.createFrom()
            .<String>emitter(emitter -> {})
            .onCancellation()
            .invoke(() -> secondCancelled.set(true));
    // The first step completes inside subscribe() and its continuation starts the second.
    steps.run(
        Uni.createFrom().item("first"),
        item -> steps.run(never, second -> secondContinued.set(true)));
    assertTrue(steps.busy(), "the second step is in flight");
    steps.cancel();
    assertTrue(secondCancelled.get(), "cancel() reached the running step");
    assertFalse(secondContinued.get());
    assertEquals(List.of(), failures);
  }

  @Test
  void aFailedStepLeavesNothingInFlightAndReportsTheFailure() {
    IllegalStateException boom = new IllegalStateException("boom");
    steps.run(Uni.createFrom().failure(boom), item -> {});
    assertFalse(steps.busy());
    assertEquals(List.of(boom), failures);
  }
}
