package dev.botrunner.internal.unit;

import dev.botrunner.BotApi;
import dev.botrunner.SessionConflictException;
import dev.botrunner.internal.client.StoredCall;
import dev.botrunner.internal.propagation.OwnPipeline;
import dev.botrunner.internal.store.DuplicateUpdateException;
import dev.botrunner.internal.store.SessionStoreException;
import dev.botrunner.internal.store.VersionedSession;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One update's unit of work ({@code ctx.transaction(..)}): one PostgreSQL transaction, opened by
 * the update's first transactional work and held open until the update's end, when botrunner adds
 * its own statements to it (the session write with its version check, the processed mark, the
 * outbox rows) and commits ({@link #commit}), or rolls it back ({@link #rollBack}) when the update
 * failed or lost its session write.
 *
 * <p>How it stays open past the bot's work: the transaction's body (of {@code
 * Pool.withTransaction}, or of Panache's {@code withTransaction}) waits for {@link #end}, which
 * botrunner completes with its own statements (commit) or with nothing (roll back); the bot's works
 * run beside it on the same connection or Hibernate session. The body and botrunner's statements
 * run on the update's Vert.x context, where the transaction was opened (Hibernate Reactive refuses
 * a session used from another thread).
 *
 * <p>A unit is either SQL ({@link #sql}) or Panache ({@link #panache}), by its first work.
 */
public final class UnitOfWork {

  private enum Kind {
    SQL,
    PANACHE
  }

  /** Completes {@link #end} to roll back: the body fails with it, so the transaction rolls back. */
  private static final class RolledBack extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RolledBack() {
      super("the update's unit of work is rolled back", null, false, false);
    }
  }

  private final Units units;
  private final int updateId;
  private final OutboxApi api = new OutboxApi(this);
  private final List<StoredCall> outbox = new ArrayList<>();

  /** botrunner's statements to end the transaction with, or null to roll it back. */
  private final CompletableFuture<Function<UnitStatements, Uni<Void>>> end =
      new CompletableFuture<>();

  /** How the transaction ended: committed, or failed (rolled back). */
  private final CompletableFuture<Void> outcome = new CompletableFuture<>();

  private Kind kind;

  /** Completes once the transaction is open, with botrunner's statements in it. */
  private CompletableFuture<UnitStatements> opened;

  /** The update's session, whose reads go into the transaction once it is open; or null. */
  private final VersionedSession session;

  /** The update's Vert.x context, where the transaction was opened. */
  private Context context;

  /** Set when the update's end began: later calls cannot join the outbox. */
  private boolean ending;

  UnitOfWork(Units units, int updateId, VersionedSession session) {
    this.units = units;
    this.updateId = updateId;
    this.session = session;
  }

  int updateId() {
    return updateId;
  }

  /**
   * @return the Bot API as seen inside the unit: JSON calls go into the outbox
   */
  public BotApi api() {
    return api;
  }

  /**
   * Adds a call to the outbox, sent after the commit.
   *
   * @param call the call, encoded
   * @throws IllegalStateException once the update's end has begun
   */
  public synchronized void queue(StoredCall call) {
    if (ending) {
      throw new IllegalStateException(
          "update " + updateId + ": a call made after its unit of work ended cannot be sent by it");
    }
    outbox.add(call);
  }

  /**
   * Runs the bot's SQL in the unit's transaction, opening it on first use. Called on the update's
   * Vert.x context.
   *
   * @param work the bot's statements on the transaction's connection
   * @param <T> the result type
   * @return the work's result
   */
  public <T> Uni<T> sql(Function<SqlConnection, Uni<T>> work) {
    return OwnPipeline.run(
        () -> {
          CompletableFuture<UnitStatements> open;
          synchronized (this) {
            IllegalStateException refused = refuse(Kind.SQL);
            if (refused != null) {
              return Uni.createFrom().failure(refused);
            }
            if (opened == null) {
              begin(Kind.SQL);
              CompletableFuture<UnitStatements> first = opened;
              follow(
                  units
                      .store()
                      .pool()
                      .withTransaction(
                          conn -> {
                            SqlStatements statements = new SqlStatements(conn);
                            first.complete(statements);
                            return holdOpen(statements);
                          }));
            }
            open = opened;
          }
          return OwnPipeline.fromFuture(open)
              .chain(
                  statements ->
                      OwnPipeline.asHost(
                          () -> work.apply(((SqlStatements) statements).connection())));
        });
  }

  /**
   * Runs the bot's Hibernate Reactive Panache code in the unit's transaction, opening it on first
   * use. Called on the update's Vert.x context.
   *
   * @param work the bot's Panache code
   * @param <T> the result type
   * @return the work's result
   */
  public <T> Uni<T> panache(Supplier<Uni<T>> work) {
    return OwnPipeline.run(
        () -> {
          PanacheForm form = PanacheForms.FORM;
          if (form == null) {
            return Uni.createFrom()
                .failure(
                    new IllegalStateException(
                        "ctx.transaction(() -> ..) runs Hibernate Reactive Panache code: add"
                            + " io.quarkus:quarkus-hibernate-reactive-panache, or use"
                            + " ctx.transaction(conn -> ..) with SQL"));
          }
          CompletableFuture<UnitStatements> ready;
          synchronized (this) {
            IllegalStateException refused = refuse(Kind.PANACHE);
            if (refused != null) {
              return Uni.createFrom().failure(refused);
            }
            if (opened == null) {
              begin(Kind.PANACHE);
              CompletableFuture<UnitStatements> first = opened;
              follow(
                  form.transaction(
                      () ->
                          form.statements()
                              .chain(
                                  statements -> {
                                    first.complete(statements);
                                    return holdOpen(statements);
                                  })));
            }
            ready = opened;
          }
          // Panache's withTransaction inside an open one joins it (same session, same transaction).
          return OwnPipeline.fromFuture(ready)
              .chain(ignored -> OwnPipeline.asHost(() -> form.transaction(work)));
        });
  }

  /** The caller holds this unit's lock. */
  private IllegalStateException refuse(Kind wanted) {
    if (ending) {
      return new IllegalStateException(
          "update " + updateId + ": its unit of work has ended; no more work can join it");
    }
    if (kind != null && kind != wanted) {
      return new IllegalStateException(
          "update "
              + updateId
              + ": one unit of work is either SQL (ctx.transaction(conn -> ..)) or Panache"
              + " (ctx.transaction(() -> ..)), not both");
    }
    if (wanted != null && Vertx.currentContext() == null) {
      return new IllegalStateException("a unit of work starts on the update's Vert.x context");
    }
    return null;
  }

  /** The caller holds this unit's lock. */
  private void begin(Kind wanted) {
    kind = wanted;
    context = Vertx.currentContext();
    opened = new CompletableFuture<>();
    if (session != null) {
      // From now on the update holds a connection: its session is read on it, not on another one
      // it would wait for (every connection held by such units would wait for ever).
      session.readThrough(new InUnitReads());
    }
  }

  /** The session's reads inside the open transaction, on the update's Vert.x context. */
  private final class InUnitReads extends UnitSessionStore.ReadsOnly {
    @Override
    public Uni<dev.botrunner.internal.store.StoredSession> read(String key) {
      return OwnPipeline.run(
          () ->
              OwnPipeline.fromFuture(opened)
                  .emitOn(onContext())
                  .chain(statements -> new UnitSessionStore(units.store(), statements).read(key)));
    }
  }

  private Executor onContext() {
    Context own = context;
    return task -> own.runOnContext(ignored -> task.run());
  }

  /** Subscribes to the transaction; its end is the unit's outcome. */
  private void follow(Uni<Void> transaction) {
    CompletableFuture<UnitStatements> first = opened;
    transaction
        .subscribe()
        .with(
            ignored -> outcome.complete(null),
            failure -> {
              first.completeExceptionally(failure);
              outcome.completeExceptionally(failure);
            });
  }

  /** The transaction's body: waits for the update's end, then runs botrunner's statements. */
  private Uni<Void> holdOpen(UnitStatements statements) {
    return OwnPipeline.fromFuture(end)
        .emitOn(onContext())
        .chain(
            finish ->
                finish == null
                    ? Uni.createFrom().failure(new RolledBack())
                    : finish.apply(statements));
  }

  /**
   * At the update's end, after its middleware and calls: writes the session (with its version
   * check) and the processed mark, inserts the outbox, commits, then sends the outbox.
   *
   * @param session the update's session
   * @return completion; fails with {@link SessionConflictException} or {@link
   *     DuplicateUpdateException} (everything rolled back), or a {@link SessionStoreException}
   */
  public Uni<Void> commit(VersionedSession session) {
    return OwnPipeline.run(
        () -> {
          List<StoredCall> calls;
          boolean started;
          synchronized (this) {
            ending = true;
            calls = List.copyOf(outbox);
            started = opened != null;
          }
          Function<UnitStatements, Uni<Void>> finish =
              statements -> {
                UnitSessionStore store = new UnitSessionStore(units.store(), statements);
                return session
                    .commit(updateId, store)
                    .chain(
                        recorded ->
                            recorded ? Uni.createFrom().voidItem() : store.markProcessed(updateId))
                    .chain(() -> units.outbox().insert(statements, updateId, calls));
              };
          Uni<Void> committed;
          if (started) {
            end.complete(finish);
            committed = OwnPipeline.fromFuture(outcome);
          } else {
            // ctx.transaction(..) was called but never subscribed: the unit still holds the
            // session write, the mark and the outbox together.
            committed =
                units.store().pool().withTransaction(conn -> finish.apply(new SqlStatements(conn)));
          }
          return committed
              .onFailure()
              .transform(this::reported)
              .call(() -> units.outbox().send(updateId, calls));
        });
  }

  /**
   * Rolls the unit back (the update failed, or its commit did); nothing it wrote stays. Completes
   * once the transaction has ended; never fails.
   *
   * @return completion
   */
  public Uni<Void> rollBack() {
    return OwnPipeline.run(
        () -> {
          boolean started;
          synchronized (this) {
            ending = true;
            started = opened != null;
          }
          if (!started) {
            return Uni.createFrom().voidItem();
          }
          end.complete(null);
          return OwnPipeline.fromFuture(outcome).onFailure().recoverWithNull().replaceWithVoid();
        });
  }

  private Throwable reported(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SessionConflictException
          || t instanceof DuplicateUpdateException
          || t instanceof SessionStoreException) {
        return t;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return new SessionStoreException(
        "update "
            + updateId
            + ": committing its unit of work failed: "
            + (failure.getMessage() == null ? failure.getClass().getName() : failure.getMessage()),
        failure);
  }
}
