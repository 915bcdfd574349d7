package dev.botrunner.internal.dispatch;

import dev.botrunner.Bot;
import dev.botrunner.Next;
import dev.botrunner.SessionConflictException;
import dev.botrunner.SessionKey;
import dev.botrunner.internal.client.TelegramClient;
import dev.botrunner.internal.context.EventLoopAccess;
import dev.botrunner.internal.context.UpdateContext;
import dev.botrunner.internal.context.WebhookReply;
import dev.botrunner.internal.propagation.OwnPipeline;
import dev.botrunner.internal.store.ConflictPolicy;
import dev.botrunner.internal.store.DuplicateUpdateException;
import dev.botrunner.internal.store.SessionMetrics;
import dev.botrunner.internal.store.SessionStore;
import dev.botrunner.internal.store.SessionStoreException;
import dev.botrunner.internal.store.VersionedSession;
import dev.botrunner.internal.unit.Units;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * What happens to one update once it has its turn: the duplicate check, the middleware on a worker
 * thread, the session write and, on a lost write, the conflict policy. Kept apart from {@link
 * Dispatcher}, which only decides when an update runs and when its keys are released.
 */
final class UpdateProcessing {

  // The dispatcher's category, so log settings made for it still cover the pipeline.
  private static final Logger LOG = Logger.getLogger(Dispatcher.class);

  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final Bot bot;
  private final TelegramClient api;
  private final SessionStore sessions;
  private final Executor workers;
  private final Executor blocking;
  private final SessionMetrics metrics;
  private final ConflictPolicy onConflict;
  private final DispatchCounters counters;
  private final StoreOutage outage = new StoreOutage();

  /** Units of work ({@code ctx.transaction}), or null without the PostgreSQL store. */
  private volatile Units units;

  private volatile String botUsername;
  private volatile EventLoopAccess eventLoop;

  UpdateProcessing(
      Bot bot,
      TelegramClient api,
      SessionStore sessions,
      Executor workers,
      Executor blocking,
      SessionMetrics metrics,
      ConflictPolicy onConflict,
      DispatchCounters counters) {
    this.bot = bot;
    this.api = api;
    this.sessions = sessions;
    this.workers = workers;
    this.blocking = blocking;
    this.metrics = metrics;
    this.onConflict = onConflict;
    this.counters = counters;
    this.units = Units.over(sessions, api);
  }

  /** Learnt from getMe after start-up, so it cannot be a constructor argument. */
  void setBotUsername(String username) {
    this.botUsername = username;
  }

  /** Known once the Vert.x instance is, which the dispatcher's constructor does not take. */
  void setVertx(Vertx vertx) {
    // Where middleware resumes after event-loop code: back on a worker unless it started on a loop.
    this.eventLoop =
        new EventLoopAccess(vertx, workers instanceof EventLoopStarts ? null : workers);
  }

  /** The application's units (with its configured outbox lease) replace the default ones. */
  void setUnits(Units units) {
    this.units = units;
  }

  SessionMetrics metrics() {
    return metrics;
  }

  /**
   * How one run of an update ended: an outcome, or the store was unreachable and it runs again.
   *
   * @param outcome the outcome, or null when the store was unreachable
   * @param unreachable the store's failure, or null
   */
  private record Attempt(Outcome outcome, SessionStoreException unreachable) {
    static Attempt of(Outcome outcome) {
      return new Attempt(outcome, null);
    }
  }

  /**
   * Skips an update recorded as processed (a redelivery after a crash, a re-sent webhook post),
   * else runs it. If the lookup fails the update runs: at worst twice, never lost. If the store is
   * unreachable (at the lookup or at any session access) the update is not finished: it keeps its
   * turn and runs again once the store is back ({@link StoreOutage}), so an outage delays updates
   * and never loses them.
   *
   * <p>The steps are chained as futures, not Mutiny operators: with context propagation in the
   * application, every operator asks for the thread's context when it is made (see {@link
   * OwnPipeline}); the bot's own {@code Uni} is the only one subscribed here.
   *
   * @param reply the webhook answer a reply may go in, or null
   * @return how the update ended
   */
  CompletableFuture<Outcome> process(Update update, WebhookReply reply) {
    CompletableFuture<Outcome> end = new CompletableFuture<>();
    round(update, reply, 0, end);
    return end;
  }

  /**
   * One round: runs the update, or waits for the store and starts the next round. Each round
   * reports straight to {@code end}, so a long outage does not nest one chain per retry. Updates
   * are counted as waiting for {@link StoreOutage} when {@code held > 0}.
   */
  private void round(Update update, WebhookReply reply, int held, CompletableFuture<Outcome> end) {
    CompletableFuture<Void> closed = held == 0 ? outage.whenOpen() : null;
    if (closed != null) {
      // Known to be down: wait for it without adding a failing attempt of our own.
      closed.whenComplete(
          (ignored, failure) -> {
            if (failure != null) {
              end.completeExceptionally(OwnPipeline.unwrap(failure));
            } else {
              round(update, reply, 0, end);
            }
          });
      return;
    }
    attemptOnce(update, reply)
        .whenComplete(
            (attempt, failure) -> {
              if (failure != null) {
                end.completeExceptionally(OwnPipeline.unwrap(failure));
                return;
              }
              if (attempt.unreachable() == null) {
                if (held > 0) {
                  outage.reached(true);
                }
                end.complete(attempt.outcome());
                return;
              }
              OwnPipeline.run(
                      () ->
                          OwnPipeline.toFuture(
                              outage.held(
                                  update.getUpdateId(), attempt.unreachable().getMessage(), held)))
                  .whenComplete(
                      (ignored, down) -> {
                        if (down != null) {
                          end.completeExceptionally(OwnPipeline.unwrap(down));
                        } else {
                          round(update, reply, held + 1, end);
                        }
                      });
            });
  }

  private CompletableFuture<Attempt> attemptOnce(Update update, WebhookReply reply) {
    int id = update.getUpdateId();
    return sessions
        .isProcessedNow(id)
        .handle(
            (seen, failed) -> {
              if (failed != null) {
                Throwable failure = OwnPipeline.unwrap(failed);
                SessionStoreException down = SessionStoreException.unreachableIn(failure);
                if (down != null) {
                  return CompletableFuture.completedFuture(new Attempt(null, down));
                }
                LOG.warnf("update %d: %s; it runs", id, failure.getMessage());
              } else if (seen) {
                skipDuplicate(id);
                return CompletableFuture.completedFuture(Attempt.of(Outcome.DONE));
              }
              return attempt(update, reply, 0);
            })
        .thenCompose(attempt -> attempt);
  }

  private void skipDuplicate(int id) {
    counters.countDuplicate();
    LOG.infof("update %d was already processed: skipped", id);
  }

  /** Runs the middleware and writes the session; a lost session write may rerun it. */
  private CompletableFuture<Attempt> attempt(Update update, WebhookReply reply, int retries) {
    VersionedSession session = new VersionedSession(SessionKey.of(update), sessions, metrics);
    UpdateContext ctx = new UpdateContext(update, api, session, botUsername, eventLoop, blocking);
    if (reply != null) {
      ctx.offerRepliesTo(reply);
    }
    Units open = units;
    if (open != null) {
      ctx.allowUnits(open);
    }
    return runMiddleware(ctx)
        .thenCompose(ignored -> ctx.handOverReply())
        .thenCompose(ignored -> ctx.settled())
        .thenCompose(
            ignored ->
                ctx.unit() == null
                    ? commit(session, update.getUpdateId())
                    : OwnPipeline.run(() -> OwnPipeline.toFuture(ctx.unit().commit(session))))
        .thenApply(ignored -> Attempt.of(Outcome.DONE))
        .exceptionallyCompose(
            failure ->
                ctx.unit() == null
                    ? failed(update, reply, retries, ctx, OwnPipeline.unwrap(failure))
                    // Nothing of a failed run's unit stays: rolled back before a rerun.
                    : OwnPipeline.run(() -> OwnPipeline.toFuture(ctx.unit().rollBack()))
                        .thenCompose(
                            ignored ->
                                failed(update, reply, retries, ctx, OwnPipeline.unwrap(failure))))
        // The run's request-scoped beans live as long as its middleware, its calls and its error
        // handling; a rerun after a conflict has ended this one's and gets its own.
        .whenComplete((ignored, failure) -> ctx.endScope());
  }

  /** Runs the bot's middleware on a worker (or where BOT_MIDDLEWARE_THREAD says). */
  private CompletableFuture<Void> runMiddleware(UpdateContext ctx) {
    CompletableFuture<Void> ran = new CompletableFuture<>();
    try {
      workers.execute(
          () -> {
            try {
              OwnPipeline.toFuture(bot.handle(ctx, Next.END))
                  .whenComplete(
                      (ignored, failure) -> {
                        if (failure != null) {
                          ran.completeExceptionally(failure);
                        } else {
                          ran.complete(null);
                        }
                      });
            } catch (Throwable failure) {
              ran.completeExceptionally(failure);
            }
          });
    } catch (RejectedExecutionException e) {
      ran.completeExceptionally(e);
    }
    return ran;
  }

  /** What a failed run becomes: skipped, run again, rerun on fresh data, or reported. */
  private CompletableFuture<Attempt> failed(
      Update update, WebhookReply reply, int retries, UpdateContext ctx, Throwable failure) {
    if (failure instanceof DuplicateUpdateException) {
      // Another run of this update committed first; this one's write was rolled back.
      skipDuplicate(update.getUpdateId());
      return ctx.callsDone().thenApply(ignored -> Attempt.of(Outcome.DONE));
    }
    SessionStoreException down = SessionStoreException.unreachableIn(failure);
    if (down != null) {
      // Not the bot's failure: the update runs again whole. Had its write committed (the answer
      // lost with the connection), the rerun finds it recorded and skips it.
      return ctx.callsDone().thenApply(ignored -> new Attempt(null, down));
    }
    SessionConflictException conflict = conflictIn(failure);
    if (conflict != null) {
      metrics.conflict();
      if (onConflict.retry() && retries < onConflict.maxRetries()) {
        LOG.warnf(
            "update %d: %s; rerunning its middleware on fresh session data (retry %d of %d)",
            update.getUpdateId(), conflict.getMessage(), retries + 1, onConflict.maxRetries());
        return ctx.callsDone()
            .thenCompose(
                ignored -> {
                  ctx.endScope();
                  return attempt(update, reply, retries + 1);
                });
      }
      LOG.warnf("update %d: %s", update.getUpdateId(), conflict.getMessage());
    }
    return OwnPipeline.run(
        () ->
            OwnPipeline.toFuture(bot.reportError(ctx, failure))
                .handle((ignored, reportFailed) -> (Void) null)
                .thenCompose(ignored -> ctx.callsDone())
                .thenApply(ignored -> Attempt.of(Outcome.FAILED)));
  }

  /** Writes the session with the update's id; records the id alone when nothing was written. */
  private CompletableFuture<Void> commit(VersionedSession session, int updateId) {
    return session
        .commitNow(updateId)
        .thenCompose(
            recorded ->
                recorded
                    ? DONE
                    : sessions
                        .markProcessedNow(updateId)
                        .exceptionally(
                            e -> {
                              // The update's work is done; a redelivery would run it again.
                              LOG.warnf(
                                  "update %d: %s", updateId, OwnPipeline.unwrap(e).getMessage());
                              return null;
                            }));
  }

  /** The conflict may arrive wrapped (by Mutiny or a store driver), so the causes are searched. */
  private static SessionConflictException conflictIn(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SessionConflictException conflict) {
        return conflict;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }
}
