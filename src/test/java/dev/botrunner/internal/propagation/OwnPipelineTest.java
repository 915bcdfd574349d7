package dev.botrunner.internal.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.context.SmallRyeThreadContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class OwnPipelineTest {

  @Test
  void ownCodeGetsUnwrappedCallbacksAndTheBotsCodeTheApplicationsContext() {
    Function<String, String> callback = s -> s;
    // Outside, the test's class path wraps callbacks as an application's does (SmallRye's context
    // providers found on it), so the check below can fail.
    assertTrue(
        Infrastructure.decorate(callback) != callback, "callbacks are wrapped outside botrunner");
    OwnPipeline.run(
        () -> {
          assertSame(callback, Infrastructure.decorate(callback), "wrapped in botrunner's code");
          assertNotNull(SmallRyeThreadContext.getCurrentThreadContext());
          OwnPipeline.asHost(
              () -> {
                assertNull(SmallRyeThreadContext.getCurrentThreadContext(), "the bot's code");
                assertSame(
                    callback, OwnPipeline.run(() -> Infrastructure.decorate(callback)), "nested");
                assertNull(SmallRyeThreadContext.getCurrentThreadContext(), "restored");
                return null;
              });
          assertNotNull(SmallRyeThreadContext.getCurrentThreadContext(), "restored");
          return null;
        });
    assertNull(SmallRyeThreadContext.getCurrentThreadContext(), "nothing left on the thread");
  }

  @Test
  void theThreadIsRestoredWhenCodeThrows() {
    assertThrows(
        IllegalStateException.class,
        () ->
            OwnPipeline.run(
                () -> {
                  throw new IllegalStateException("boom");
                }));
    assertNull(SmallRyeThreadContext.getCurrentThreadContext());
  }

  @Test
  void futuresAndUnisConvertBothWays() {
    CompletableFuture<String> later = new CompletableFuture<>();
    CompletableFuture<String> seen = OwnPipeline.toFuture(OwnPipeline.fromFuture(later));
    later.complete("x");
    assertEquals("x", seen.join());

    CompletableFuture<String> failed =
        CompletableFuture.<String>failedFuture(new IllegalStateException("no"))
            .thenApply(s -> s); // fails with a CompletionException around the cause
    Throwable failure =
        assertThrows(
            IllegalStateException.class,
            () -> OwnPipeline.fromFuture(failed).await().indefinitely());
    assertEquals("no", failure.getMessage());
    assertTrue(failed.isCompletedExceptionally());
    assertThrows(CompletionException.class, failed::join);
  }

  @Test
  void cancellingTheFutureCancelsTheSubscription() {
    AtomicBoolean cancelled = new AtomicBoolean();
    CompletableFuture<Object> future =
        OwnPipeline.toFuture(
            Uni.createFrom().nothing().onCancellation().invoke(() -> cancelled.set(true)));
    future.cancel(false);
    assertTrue(cancelled.get());
  }
}
