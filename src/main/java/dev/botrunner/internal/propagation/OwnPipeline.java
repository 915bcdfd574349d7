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
import java.util.function.Function;
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
 * <p>Even unwrapped, each operator costs that lookup, so the per-update path runs on futures and
 * meets Mutiny only at the API edge, through {@link #deferFuture} and {@link #fromFuture}, which
 * make no operator the interceptor sees.
 *
 * <p>The rule for botrunner's code: per-update work chains futures; a method that still assembles
 * or subscribes Mutiny operators of its own runs its body in {@link #run}; a call from such a
 * section into the bot's code (middleware, handlers, error handlers, a {@code Uni} the bot handed
 * over) goes through {@link #asHost}. A section that is forgotten costs the wrapping, nothing else.
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
    return new FromFuture<T, T>(stage, null, false);
  }

  /**
   * A {@code Uni} of a future, mapped: as {@link #fromFuture(CompletionStage)} followed by {@code
   * map(mapper)}, in one operator that no context propagation decorates.
   *
   * @param stage the future
   * @param mapper applied to its item, on the thread that completes it, for each subscriber
   * @param <T> the future's item type
   * @param <R> the mapped type
   * @return the mapped outcome
   */
  public static <T, R> Uni<R> fromFuture(
      CompletionStage<T> stage, Function<? super T, ? extends R> mapper) {
    return new FromFuture<>(stage, mapper, false);
  }

  /**
   * A lazy {@code Uni} of botrunner's own pipeline: {@code code} runs at each subscription (as
   * {@code Uni.createFrom().deferred(..)}), and both the deferral and what {@code code} assembles
   * are made with nothing to propagate, whichever thread subscribes.
   *
   * @param code assembles botrunner's pipeline
   * @param <T> its item type
   * @return the deferred pipeline
   */
  public static <T> Uni<T> defer(Supplier<Uni<T>> code) {
    return run(() -> Uni.createFrom().deferred(() -> run(code)));
  }

  /**
   * A lazy {@code Uni} of work that returns a future: {@code start} runs at each subscription (as
   * {@code Uni.createFrom().deferred(..)}), and cancelling the subscription cancels its future. No
   * context propagation decorates it.
   *
   * @param start starts the work
   * @param <T> its item type
   * @return the work's outcome; a {@link CompletionException} is unwrapped
   */
  public static <T> Uni<T> deferFuture(Supplier<? extends CompletableFuture<T>> start) {
    return new DeferredFuture<>(start);
  }

  /**
   * @param failure a failure as a future reports it
   * @return the cause of a {@link CompletionException}, else the failure itself
   */
  public static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
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

  private static final class FromFuture<T, R> extends AbstractUni<R> {
    private final CompletionStage<T> stage;
    private final Function<? super T, ? extends R> mapper;
    private final boolean cancels;

    /** A null mapper passes the item as it is (T is R). */
    FromFuture(CompletionStage<T> stage, Function<? super T, ? extends R> mapper, boolean cancels) {
      this.stage = stage;
      this.mapper = mapper;
      this.cancels = cancels;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void subscribe(UniSubscriber<? super R> subscriber) {
      boolean[] cancelled = {false};
      subscriber.onSubscribe(
          () -> {
            cancelled[0] = true;
            if (cancels) {
              stage.toCompletableFuture().cancel(false);
            }
          });
      stage.whenComplete(
          (item, failure) -> {
            if (cancelled[0]) {
              return;
            }
            if (failure != null) {
              subscriber.onFailure(unwrap(failure));
              return;
            }
            R mapped;
            try {
              mapped = mapper == null ? (R) item : mapper.apply(item);
            } catch (Throwable e) {
              subscriber.onFailure(e);
              return;
            }
            subscriber.onItem(mapped);
          });
    }
  }

  private static final class DeferredFuture<T> extends AbstractUni<T> {
    private final Supplier<? extends CompletableFuture<T>> start;

    DeferredFuture(Supplier<? extends CompletableFuture<T>> start) {
      this.start = start;
    }

    @Override
    public void subscribe(UniSubscriber<? super T> subscriber) {
      CompletableFuture<T> future;
      try {
        future = start.get();
      } catch (Throwable e) {
        future = CompletableFuture.failedFuture(e);
      }
      new FromFuture<T, T>(future, null, true).subscribe(subscriber);
    }
  }
}
