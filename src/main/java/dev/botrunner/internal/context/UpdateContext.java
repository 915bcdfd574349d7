package dev.botrunner.internal.context;

import dev.botrunner.BotApi;
import dev.botrunner.BotContext;
import dev.botrunner.Session;
import dev.botrunner.internal.client.LazyResult;
import dev.botrunner.internal.client.TelegramClient;
import dev.botrunner.internal.propagation.OwnPipeline;
import dev.botrunner.internal.store.VersionedSession;
import dev.botrunner.internal.unit.UnitOfWork;
import dev.botrunner.internal.unit.Units;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.message.Message;

/**
 * The runtime's {@link BotContext}: owns the update's Bot API calls (one chain, in the order they
 * were made, which the update waits for), the reply held for a webhook answer, and the update's own
 * Vert.x context.
 */
public final class UpdateContext extends BotContext {

  private final TelegramClient api;
  private final Session session;
  private final EventLoopAccess eventLoop;
  private final Executor blocking;
  private final UpdateRequestScope scope = UpdateRequestScope.create();
  private Context vertxContext;

  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  /** Where this update's unit of work comes from; null without the PostgreSQL store. */
  private Units units;

  /** The update's unit of work, once {@code transaction(..)} was called; else null. */
  private volatile UnitOfWork unit;

  private CompletableFuture<?> calls = DONE;

  /** Where a reply may go instead of a request of its own; null unless BOT_WEBHOOK_REPLY. */
  private WebhookReply webhookReply;

  /** The first reply, held for the webhook's answer until another call or the update's end. */
  private SendMessage heldReply;

  /** Whether any call was made through this context: only a first reply is held. */
  private boolean anyCall;

  /**
   * @param update the update being handled
   * @param api the Bot API client
   * @param session the update's session
   * @param botUsername the bot's username without '@', or null if not known yet
   */
  public UpdateContext(Update update, TelegramClient api, Session session, String botUsername) {
    this(update, api, session, botUsername, null);
  }

  /**
   * @param update the update being handled
   * @param api the Bot API client
   * @param session the update's session
   * @param botUsername the bot's username without '@', or null if not known yet
   * @param eventLoop how {@link #onEventLoop} reaches an event loop, or null where there is none
   */
  public UpdateContext(
      Update update,
      TelegramClient api,
      Session session,
      String botUsername,
      EventLoopAccess eventLoop) {
    this(update, api, session, botUsername, eventLoop, null);
  }

  /**
   * @param update the update being handled
   * @param api the Bot API client
   * @param session the update's session
   * @param botUsername the bot's username without '@', or null if not known yet
   * @param eventLoop how {@link #onEventLoop} reaches an event loop, or null where there is none
   * @param blocking runs blocking handlers reached on an event loop, or null for Mutiny's worker
   *     pool
   */
  public UpdateContext(
      Update update,
      TelegramClient api,
      Session session,
      String botUsername,
      EventLoopAccess eventLoop,
      Executor blocking) {
    super(update, botUsername);
    this.api = api;
    this.session = session;
    this.eventLoop = eventLoop;
    this.blocking = blocking;
  }

  @Override
  public BotApi api() {
    UnitOfWork open = unit;
    return open == null ? api : open.api();
  }

  @Override
  public Session session() {
    return session;
  }

  @Override
  public Uni<Message> reply(String text) {
    Long chatId = chatId();
    if (chatId == null) {
      throw new IllegalStateException(
          "update " + updateId() + " has no chat to reply to; use api() with a chat id");
    }
    SendMessage message = new SendMessage(Long.toString(chatId), text);
    UnitOfWork open = unit;
    if (open != null) {
      // Inside a unit of work: sent after its commit (see BotContext#transaction).
      return open.api().sendMessage(message);
    }
    synchronized (this) {
      if (webhookReply != null && !anyCall) {
        anyCall = true;
        heldReply = message;
        return Uni.createFrom().nullItem();
      }
    }
    // Decoded only if the caller subscribes: most handlers never read the sent message.
    return OwnPipeline.fromFuture(track(() -> api.startLazily(message)), LazyResult::get);
  }

  /**
   * Runtime machinery, not for bot code: lets this update's first reply go in the answer to the
   * webhook post ({@code BOT_WEBHOOK_REPLY}). Its {@code Uni} then yields {@code null}.
   *
   * @param answer the post's answer
   */
  public synchronized void offerRepliesTo(WebhookReply answer) {
    this.webhookReply = answer;
  }

  /**
   * Runtime machinery, not for bot code: at the end of the middleware, hands a held reply to the
   * webhook's answer, or sends it by a request of its own if the post was answered already.
   *
   * @return completes at once when handed over; else as a tracked call
   */
  public CompletableFuture<Void> handOverReply() {
    SendMessage held;
    synchronized (this) {
      held = heldReply;
      heldReply = null;
    }
    if (held == null || webhookReply.claim(held)) {
      return DONE;
    }
    // Answered already (at the deadline): sent as it would have been without the option.
    return track(() -> api.startLazily(held)).thenApply(sent -> null);
  }

  @Override
  public <T> Uni<T> onEventLoop(Supplier<Uni<T>> work) {
    if (eventLoop == null) {
      return Uni.createFrom()
          .failure(
              new IllegalStateException(
                  "update " + updateId() + " has no Vert.x instance to run event-loop code on"));
    }
    return OwnPipeline.defer(
        () -> eventLoop.run(updateVertxContext(), () -> scope.subscribeIn(work)));
  }

  /**
   * Runtime machinery, not for bot code: lets this update open a unit of work.
   *
   * @param units the units over the PostgreSQL store
   */
  public synchronized void allowUnits(Units units) {
    this.units = units;
  }

  /**
   * Runtime machinery, not for bot code.
   *
   * @return this update's unit of work, or null when it opened none
   */
  public UnitOfWork unit() {
    return unit;
  }

  @Override
  public <T> Uni<T> transaction(Function<SqlConnection, Uni<T>> work) {
    UnitOfWork open = openUnit();
    return open == null ? noUnits() : onEventLoop(() -> open.sql(work));
  }

  @Override
  public <T> Uni<T> transaction(Supplier<Uni<T>> work) {
    UnitOfWork open = openUnit();
    return open == null ? noUnits() : onEventLoop(() -> open.panache(work));
  }

  /** Opened when transaction(..) is called, so calls made after it go into the outbox. */
  private synchronized UnitOfWork openUnit() {
    if (unit == null && units != null) {
      unit =
          units.open(updateId(), session instanceof VersionedSession versioned ? versioned : null);
    }
    return unit;
  }

  private <T> Uni<T> noUnits() {
    return Uni.createFrom()
        .failure(
            new IllegalStateException(
                "update "
                    + updateId()
                    + ": ctx.transaction(..) needs the PostgreSQL session store"
                    + " (BOT_SESSION_STORE=postgres and QUARKUS_DATASOURCE_REACTIVE_URL)"));
  }

  @Override
  protected Executor blockingExecutor() {
    return blocking == null ? super.blockingExecutor() : blocking;
  }

  @Override
  protected Uni<Void> runBlocking(Supplier<Void> body) {
    if (!Context.isOnEventLoopThread()) {
      return OwnPipeline.deferFuture(
          () -> {
            body.get();
            return CompletableFuture.completedFuture(null);
          });
    }
    Executor executor = blockingExecutor();
    return OwnPipeline.deferFuture(
        () -> {
          CompletableFuture<Void> done = new CompletableFuture<>();
          executor.execute(
              () -> {
                try {
                  body.get();
                  done.complete(null);
                } catch (Throwable failure) {
                  done.completeExceptionally(failure);
                }
              });
          return done;
        });
  }

  @Override
  protected <T> T inUpdateScope(Supplier<T> code) {
    return scope.run(code);
  }

  @Override
  protected <T> Uni<T> subscribeInUpdateScope(Supplier<Uni<T>> code) {
    return scope.subscribeIn(code);
  }

  /**
   * Runtime machinery, not for bot code: ends this run of the update's middleware as a CDI request
   * (its request-scoped beans are destroyed).
   */
  public void endScope() {
    scope.end();
  }

  private synchronized Context updateVertxContext() {
    if (vertxContext == null) {
      vertxContext = eventLoop.newUpdateContext();
    }
    return vertxContext;
  }

  @Override
  public <T> Uni<T> track(Uni<T> call) {
    // The bot's own Uni: subscribed with the application's context propagation.
    CompletableFuture<T> result = track(() -> OwnPipeline.asHost(() -> OwnPipeline.toFuture(call)));
    return OwnPipeline.fromFuture(result);
  }

  private <T> CompletableFuture<T> track(Supplier<CompletableFuture<T>> start) {
    synchronized (this) {
      anyCall = true;
      // A later call goes after the held reply, so the reply is sent first, as it was made.
      sendHeldReply();
      return chain(start);
    }
  }

  /** Sends the held reply, if any, as the next call; the caller holds this context's lock. */
  private void sendHeldReply() {
    if (heldReply != null) {
      SendMessage held = heldReply;
      heldReply = null;
      chain(() -> api.startLazily(held));
    }
  }

  /**
   * Appends a call to the update's calls; the caller holds this context's lock.
   *
   * @param start subscribes to the call once the previous one is done
   */
  private <T> CompletableFuture<T> chain(Supplier<CompletableFuture<T>> start) {
    // Recording the failure inside the chain (not as a side branch) guarantees that settled()
    // sees it once the last call is done.
    CompletableFuture<T> started;
    if (calls.isDone()) {
      // Nothing before it is under way (most replies): start now, without chaining stages.
      try {
        started = start.get();
      } catch (RuntimeException e) {
        started = CompletableFuture.failedFuture(e);
      }
    } else {
      started = calls.handle((ignored, failure) -> null).thenCompose(x -> start.get());
    }
    CompletableFuture<T> result =
        started.whenComplete((ignored, failure) -> recordFailure(failure));
    calls = result;
    return result;
  }

  /**
   * @return completion of every call tracked so far; fails with the first failed one
   */
  public CompletableFuture<Void> settled() {
    CompletableFuture<?> last;
    synchronized (this) {
      last = calls;
    }
    // The failure recorded by the chain is read once the calls are done.
    return last.handle(
        (ignored, ignoredFailure) -> {
          Throwable failure = recordedFailure();
          if (failure != null) {
            throw new CompletionException(OwnPipeline.unwrap(failure));
          }
          return null;
        });
  }

  /**
   * @return completion of every call tracked so far, whether they succeeded or not
   */
  public CompletableFuture<Void> callsDone() {
    CompletableFuture<?> last;
    synchronized (this) {
      // The update ends otherwise than by handOverReply (it failed): the reply still goes.
      sendHeldReply();
      last = calls;
    }
    return last.handle((ignored, failure) -> null);
  }
}
