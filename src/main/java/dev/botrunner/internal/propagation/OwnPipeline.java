package dev.botrunner.internal.propagation;

import io.smallrye.context.CleanAutoCloseable;
import io.smallrye.context.SmallRyeContextManagerProvider;
import io.smallrye.context.SmallRyeThreadContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.AbstractUni;
import io.smallrye.mutiny.subscription.UniSubscriber;
import io.smallrye.mutiny.subscription.UniSubscription;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.eclipse.microprofile.context.ThreadContext;

/**
 * Keeps context propagation off botrunner's own pipeline without switching it off for the
 * application.
 *
 * <p>Why: with MicroProfile context propagation in the application (Quarkus brings it with ArC and
 * Narayana), Mutiny wraps every callback of every pipeline assembled on a thread, capturing the CDI
 * request context and the JTA transaction when the operator is made and restoring them around each
 * call. On botrunner's per-update path that was about a fifth of the service's CPU, for contexts
 * that its own steps (scheduling, the session write, its Bot API calls) never read. Mutiny asks
 * SmallRye for the thread's <em>current</em> thread context when it wraps a callback, and SmallRye
 * returns the callback unwrapped when that context propagates nothing; so botrunner makes such a
 * context current while it assembles and subscribes its own pipeline ({@link #run}), and makes the
 * application's default current again whenever it hands the bot's code a thread ({@link #asHost}),
 * so the bot's own pipelines are wrapped as in the rest of the application.
 *
 * <p>The rule for botrunner's code: a method that assembles or subscribes Mutiny operators of its
 * own runs its body in {@link #run}; a call from such a section into the bot's code (middleware,
 * handlers, error handlers, a {@code Uni} the bot handed over) goes through {@link #asHost}. A
 * section that is forgotten costs the wrapping, nothing else.
 */
public final class OwnPipeline {

  /** Propagates and clears nothing: SmallRye's plan for it is empty. */
  private static final SmallRyeThreadContext NOTHING =
      (SmallRyeThreadContext)
          SmallRyeContextManagerProvider.getManager()
              .newThreadContextBuilder()
              .propagated()
              .cleared()
              .unchanged(ThreadContext.ALL_REMAINING)
              .build();

  private OwnPipeline() {}

  /**
   * Runs botrunner's own code with nothing to propagate: the Mutiny operators it makes are not
   * wrapped.
   *
   * @param code botrunner's code
   * @param <T> its result type
   * @return its result
   */
  public static <T> T run(Supplier<T> code) {
    if (SmallRyeThreadContext.getCurrentThreadContext() == NOTHING) {
      return code.get();
    }
    try (CleanAutoCloseable ignored = SmallRyeThreadContext.withThreadContext(NOTHING)) {
      return code.get();
    }
  }

  /**
   * Runs the bot's code (or subscribes to a pipeline of the bot's) with the application's own
   * thread context, as it would run anywhere else in the application.
   *
   * @param code the bot's code
   * @param <T> its result type
   * @return its result
   */
  public static <T> T asHost(Supplier<T> code) {
    if (SmallRyeThreadContext.getCurrentThreadContext() != NOTHING) {
      return code.get();
    }
    try (CleanAutoCloseable ignored = SmallRyeThreadContext.withThreadContext(null)) {
      return code.get();
    }
  }

  /**
   * A {@code Uni} of a future, as {@code Uni.createFrom().completionStage(..)} but without wrapping
   * the future for context propagation: botrunner's futures carry no context.
   *
   * @param stage the future
   * @param <T> its item type
   * @return its outcome, as a {@code Uni}; a {@link CompletionException} is unwrapped
   */
  public static <T> Uni<T> fromFuture(CompletionStage<T> stage) {
    return new FromFuture<>(stage);
  }

  /**
   * Subscribes to a {@code Uni} and returns its outcome as a future, as {@code
   * subscribeAsCompletionStage()} but without wrapping the future for context propagation.
   * Cancelling the future cancels the subscription.
   *
   * @param uni the pipeline to subscribe to, now
   * @param <T> its item type
   * @return its outcome
   */
  public static <T> CompletableFuture<T> toFuture(Uni<T> uni) {
    CompletableFuture<T> future = new CompletableFuture<>();
    AbstractUni.subscribe(
        uni,
        new UniSubscriber<T>() {
          @Override
          public void onSubscribe(UniSubscription subscription) {
            future.whenComplete(
                (item, failure) -> {
                  if (future.isCancelled()) {
                    subscription.cancel();
                  }
                });
          }

          @Override
          public void onItem(T item) {
            future.complete(item);
          }

          @Override
          public void onFailure(Throwable failure) {
            future.completeExceptionally(failure);
          }
        });
    return future;
  }

  private static final class FromFuture<T> extends AbstractUni<T> {
    private final CompletionStage<T> stage;

    FromFuture(CompletionStage<T> stage) {
      this.stage = stage;
    }

    @Override
    public void subscribe(UniSubscriber<? super T> subscriber) {
      boolean[] cancelled = {false};
      subscriber.onSubscribe(() -> cancelled[0] = true);
      stage.whenComplete(
          (item, failure) -> {
            if (cancelled[0]) {
              return;
            }
            if (failure == null) {
              subscriber.onItem(item);
            } else {
              subscriber.onFailure(
                  failure instanceof CompletionException && failure.getCause() != null
                      ? failure.getCause()
                      : failure);
            }
          });
    }
  }
}
