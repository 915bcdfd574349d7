package dev.botrunner;

import io.smallrye.common.annotation.CheckReturnValue;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.EmptyUniSubscription;
import io.smallrye.mutiny.operators.AbstractUni;
import io.smallrye.mutiny.subscription.UniSubscriber;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.telegram.telegrambots.meta.api.objects.CallbackQuery;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * A chain of middleware, built like grammY's {@code Composer}. Methods that take a {@link Handler}
 * add a terminal step that runs on a worker thread; methods that return a {@code Composer} open a
 * branch whose middleware only sees the updates that passed the filter, and whose {@code next}
 * continues after the branch. Those are marked {@link CheckReturnValue}: a branch whose result is
 * dropped receives middleware from nobody, which IDEs and Error Prone flag.
 */
public class Composer implements Middleware {

  private final List<Step> chain = new CopyOnWriteArrayList<>();

  /** A middleware and the line of the bot's code that added it, its name in messages. */
  private record Step(Middleware middleware, String site) {}

  /**
   * Adds middleware that sees every update reaching this point.
   *
   * @param middleware a reactive step
   * @return this composer
   */
  public Composer use(Middleware middleware) {
    Objects.requireNonNull(middleware, "middleware");
    chain.add(new Step(middleware, RegistrationSite.ofCaller()));
    return this;
  }

  /**
   * Adds a blocking handler for every update reaching this point; it ends the chain.
   *
   * @param handler plain Java logic
   * @return this composer
   */
  public Composer use(Handler handler) {
    Objects.requireNonNull(handler, "handler");
    return use((ctx, next) -> Workers.blocking(handler, ctx));
  }

  /**
   * @param predicate decides per update
   * @return a branch for the updates that pass
   */
  @CheckReturnValue
  public Composer filter(Predicate<BotContext> predicate) {
    Objects.requireNonNull(predicate, "predicate");
    Composer branch = new Composer();
    use((ctx, next) -> predicate.test(ctx) ? branch.handle(ctx, next) : next.proceed());
    return branch;
  }

  /**
   * @param predicate decides per update
   * @param handler handles the updates that pass
   * @return this composer
   */
  public Composer filter(Predicate<BotContext> predicate, Handler handler) {
    filter(predicate).use(handler);
    return this;
  }

  /**
   * @param query a filter query such as {@code "message:text"}, see {@link FilterQuery}
   * @return a branch for the matching updates
   */
  @CheckReturnValue
  public Composer on(String query) {
    Predicate<Update> matches = FilterQuery.compile(query);
    return filter(ctx -> matches.test(ctx.update()));
  }

  /**
   * @param query a filter query such as {@code "message:text"}
   * @param handler handles the matching updates
   * @return this composer
   */
  public Composer on(String query, Handler handler) {
    on(query).use(handler);
    return this;
  }

  /**
   * @param query a filter query
   * @param middleware reactive middleware for the matching updates
   * @return this composer
   */
  public Composer on(String query, Middleware middleware) {
    on(query).use(middleware);
    return this;
  }

  /**
   * Matches {@code /name}, {@code /name@thisbot} and {@code /name args}; {@link BotContext#match()}
   * holds the arguments.
   *
   * @param name the command without the slash
   * @return a branch for that command
   */
  @CheckReturnValue
  public Composer command(String name) {
    String command = name.startsWith("/") ? name.substring(1) : name;
    if (command.isEmpty() || command.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("invalid command name '" + name + "'");
    }
    return filter(
        ctx -> {
          String args = Commands.arguments(ctx.update().getMessage(), command, ctx.botUsername());
          if (args == null) {
            return false;
          }
          ctx.setMatch(args, null);
          return true;
        });
  }

  /**
   * @param name the command without the slash
   * @param handler handles it
   * @return this composer
   */
  public Composer command(String name, Handler handler) {
    command(name).use(handler);
    return this;
  }

  /**
   * @param name the command without the slash
   * @param middleware reactive middleware for it
   * @return this composer
   */
  public Composer command(String name, Middleware middleware) {
    command(name).use(middleware);
    return this;
  }

  /**
   * Matches message text or captions against a pattern ({@code find}, not a full match).
   *
   * @param pattern the regular expression
   * @return a branch for the matching messages; {@link BotContext#matcher()} holds the match
   */
  @CheckReturnValue
  public Composer hears(Pattern pattern) {
    Objects.requireNonNull(pattern, "pattern");
    return filter(ctx -> matchInto(ctx, ctx.text(), pattern));
  }

  /**
   * @param pattern the regular expression
   * @param handler handles the matching messages
   * @return this composer
   */
  public Composer hears(Pattern pattern, Handler handler) {
    hears(pattern).use(handler);
    return this;
  }

  /**
   * @param data the exact callback data
   * @param handler handles those callback queries
   * @return this composer
   */
  public Composer callbackQuery(String data, Handler handler) {
    Objects.requireNonNull(data, "data");
    filter(
            ctx -> {
              CallbackQuery query = ctx.callbackQuery();
              if (query == null || !data.equals(query.getData())) {
                return false;
              }
              ctx.setMatch(data, null);
              return true;
            })
        .use(handler);
    return this;
  }

  /**
   * @param pattern matched against the callback data ({@code find})
   * @param handler handles those callback queries
   * @return this composer
   */
  public Composer callbackQuery(Pattern pattern, Handler handler) {
    Objects.requireNonNull(pattern, "pattern");
    filter(
            ctx ->
                ctx.callbackQuery() != null
                    && matchInto(ctx, ctx.callbackQuery().getData(), pattern))
        .use(handler);
    return this;
  }

  /**
   * Catches failures of the middleware inside the returned branch. A failure of what the branch
   * passes on with {@code next} is not caught here: it belongs to the code after the boundary.
   *
   * @param errorHandler receives the failures
   * @return the protected branch
   */
  @CheckReturnValue
  public Composer errorBoundary(ErrorHandler errorHandler) {
    Objects.requireNonNull(errorHandler, "errorHandler");
    Composer branch = new Composer();
    use(
        (ctx, next) -> {
          Downstream downstream = new Downstream(next);
          return branch
              .handle(ctx, downstream)
              .onFailure(failure -> !downstream.failed)
              .recoverWithUni(failure -> ErrorReporting.report(errorHandler, ctx, failure));
        });
    return branch;
  }

  @Override
  public Uni<Void> handle(BotContext ctx, Next next) {
    return step(ctx, 0, next);
  }

  private Uni<Void> step(BotContext ctx, int index, Next next) {
    if (index >= chain.size()) {
      return next.proceed();
    }
    Step step = chain.get(index);
    // Deferred, in the update's scope: a middleware that throws instead of returning a failed Uni
    // is still a failure of this update, not of the caller.
    return ctx.subscribeInUpdateScope(
        () -> {
          BlockedLoopWatch.Slot slot = BlockedLoopWatch.enter(step.site(), ctx.updateId());
          try {
            return step.middleware().handle(ctx, new OnceNext(ctx, step, index + 1, next));
          } finally {
            BlockedLoopWatch.exit(slot);
          }
        });
  }

  /**
   * The rest of the chain, for one middleware and one update: it runs at most once, as grammY's
   * {@code next}. A second {@code proceed()}, or a second subscription to what it returned, runs
   * nothing and fails the update with a message naming the middleware, also when the middleware
   * dropped that second result (the failure is recorded on the context, which the update's end
   * checks).
   */
  private final class OnceNext implements Next {
    private static final int CALLED = 1;
    private static final int SUBSCRIBED = 2;

    private final BotContext ctx;
    private final Step step;
    private final int nextIndex;
    private final Next next;
    private final AtomicInteger state = new AtomicInteger();

    OnceNext(BotContext ctx, Step step, int nextIndex, Next next) {
      this.ctx = ctx;
      this.step = step;
      this.nextIndex = nextIndex;
      this.next = next;
    }

    @Override
    public Uni<Void> proceed() {
      if ((state.getAndUpdate(s -> s | CALLED) & CALLED) != 0) {
        return refuse("called next.proceed() a second time");
      }
      // Deferred as Uni.createFrom().deferred(..) would be, without its per-operator context
      // lookup: the rest of the chain enters the update's scope by itself (subscribeInUpdateScope).
      return new AbstractUni<Void>() {
        @Override
        public void subscribe(UniSubscriber<? super Void> subscriber) {
          Uni<Void> rest;
          try {
            rest =
                (state.getAndUpdate(s -> s | SUBSCRIBED) & SUBSCRIBED) == 0
                    ? step(ctx, nextIndex, next)
                    : refuse("subscribed a second time to the Uni of next.proceed()");
            Objects.requireNonNull(rest, "the rest of the chain returned null instead of a Uni");
          } catch (Throwable failure) {
            EmptyUniSubscription.propagateFailureEvent(subscriber, failure);
            return;
          }
          AbstractUni.subscribe(rest, subscriber);
        }
      };
    }

    private Uni<Void> refuse(String what) {
      IllegalStateException e =
          new IllegalStateException(
              "the middleware registered at "
                  + step.site()
                  + " "
                  + what
                  + "; the rest of the chain runs once per update");
      ctx.recordFailure(e);
      return Uni.createFrom().failure(e);
    }
  }

  private static boolean matchInto(BotContext ctx, String text, Pattern pattern) {
    if (text == null) {
      return false;
    }
    Matcher matcher = pattern.matcher(text);
    if (!matcher.find()) {
      return false;
    }
    ctx.setMatch(matcher.group(), matcher);
    return true;
  }

  /** Remembers whether a failure came from after the boundary, which must not be caught there. */
  private static final class Downstream implements Next {
    private final Next next;
    private volatile boolean failed;

    Downstream(Next next) {
      this.next = next;
    }

    @Override
    public Uni<Void> proceed() {
      return next.proceed().onFailure().invoke(() -> failed = true);
    }
  }
}
