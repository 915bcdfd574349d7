package dev.botrunner.internal.context;

import dev.botrunner.internal.propagation.OwnPipeline;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.quarkus.arc.InjectableContext.ContextState;
import io.quarkus.arc.ManagedContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.EmptyUniSubscription;
import io.smallrye.mutiny.operators.AbstractUni;
import io.smallrye.mutiny.subscription.UniSubscriber;
import java.util.function.Supplier;

/**
 * One run of an update's middleware as a CDI request: a request context of its own, active on
 * whichever thread runs the bot's code for that update (the event loop that started it, a worker
 * running a blocking handler, the update's Vert.x context in {@code onEventLoop}, an error
 * handler), and destroyed when the run ends, so {@code @RequestScoped} beans behave as they do in a
 * Quarkus REST method: one instance per update, never shared between updates running at once.
 *
 * <p>Why activate it at each entry instead of once: the update's code hops between threads, and
 * botrunner's own pipeline should not pay for carrying the context across its internal steps.
 * Between entries the context is carried as the host application carries it: with ArC's context
 * propagation on (Quarkus's default), Mutiny operators the bot's code assembles while the context
 * is active restore it in their callbacks, as they do in a REST method.
 *
 * <p>Without a CDI container (the test kit's {@code BotTester}) there is nothing to activate and
 * the code runs as it is.
 */
final class UpdateRequestScope {

  private final ManagedContext requestContext;
  private ContextState state;
  private boolean ended;

  private UpdateRequestScope(ManagedContext requestContext) {
    this.requestContext = requestContext;
  }

  /**
   * @return a scope for one run of an update's middleware in the running CDI container, or one that
   *     activates nothing when there is none
   */
  static UpdateRequestScope create() {
    ArcContainer container = Arc.container();
    return new UpdateRequestScope(container == null ? null : container.requestContext());
  }

  /**
   * Runs code with this update's request context active on the calling thread, and restores what
   * was active before (nothing, or the request context of whatever called it).
   *
   * @param code the bot's code
   * @param <T> its result type
   * @return its result
   */
  <T> T run(Supplier<T> code) {
    // The bot's code runs with the application's context propagation (see OwnPipeline).
    return OwnPipeline.asHost(() -> runScoped(code));
  }

  private <T> T runScoped(Supplier<T> code) {
    if (requestContext == null) {
      return code.get();
    }
    ContextState mine = state();
    if (mine == null) {
      // A callback of the bot's that runs after its update ended: no context is created that
      // nothing would destroy.
      return code.get();
    }
    ContextState previous = requestContext.getStateIfActive();
    if (previous == mine) {
      return code.get();
    }
    requestContext.activate(mine);
    try {
      return code.get();
    } finally {
      requestContext.deactivate();
      if (previous != null) {
        requestContext.activate(previous);
      }
    }
  }

  /**
   * A {@code Uni} of the bot's code that is assembled <em>and subscribed</em> with this update's
   * request context active: context propagation captures the context when a pipeline is subscribed,
   * so the callbacks of the bot's pipeline see the context wherever they run.
   *
   * @param code supplies the bot's pipeline; called at each subscription, as {@code deferred}
   * @param <T> the item type
   * @return the pipeline, failed if {@code code} throws or returns null
   */
  <T> Uni<T> subscribeIn(Supplier<Uni<T>> code) {
    return new InScope<>(code);
  }

  private final class InScope<T> extends AbstractUni<T> {
    private final Supplier<Uni<T>> code;

    InScope(Supplier<Uni<T>> code) {
      this.code = code;
    }

    @Override
    public void subscribe(UniSubscriber<? super T> subscriber) {
      run(
          () -> {
            Uni<T> uni;
            try {
              uni = code.get();
              if (uni == null) {
                throw new NullPointerException("the middleware returned null instead of a Uni");
              }
            } catch (Throwable failure) {
              EmptyUniSubscription.propagateFailureEvent(subscriber, failure);
              return null;
            }
            AbstractUni.subscribe(uni, subscriber);
            return null;
          });
    }
  }

  /**
   * Destroys the request-scoped beans of this run (their {@code @PreDestroy} methods run); code
   * that runs for the update after this runs without a request context of its own.
   */
  void end() {
    if (requestContext == null) {
      return;
    }
    ContextState last;
    synchronized (this) {
      last = state;
      state = null;
      ended = true;
    }
    if (last != null) {
      requestContext.destroy(last);
    }
  }

  /** The run's context state, made on first use; null once the run ended. */
  private synchronized ContextState state() {
    if (state == null && !ended) {
      state = requestContext.initializeState();
    }
    return state;
  }
}
