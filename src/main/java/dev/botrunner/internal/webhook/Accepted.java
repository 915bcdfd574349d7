package dev.botrunner.internal.webhook;

import dev.botrunner.internal.context.WebhookReply;
import dev.botrunner.internal.dispatch.Outcome;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.telegram.telegrambots.meta.api.methods.botapimethods.BotApiMethod;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * A webhook update's outcome, whether it was saved at the deadline, and the reply its answer may
 * carry: saved at most once (a re-sent post waiting on it shares the save), removed from the store
 * when it finishes.
 */
final class Accepted extends CompletableFuture<Outcome> {

  private final Update update;
  private final WebhookLeases leases;
  private final WebhookReply reply;
  private boolean done;
  private CompletionStage<Void> saved;

  /**
   * @param update the update
   * @param leases where it is saved at the deadline
   * @param reply its answer's reply, or null without {@code BOT_WEBHOOK_REPLY}
   */
  Accepted(Update update, WebhookLeases leases, WebhookReply reply) {
    this.update = update;
    this.leases = leases;
    this.reply = reply;
  }

  /**
   * @return the answer a reply may go in, or null
   */
  WebhookReply reply() {
    return reply;
  }

  /**
   * @return the call the answer carries, or null; only the first answer gets it
   */
  BotApiMethod<?> takeReply() {
    return reply == null ? null : reply.take();
  }

  /** Saves the update unless it is done or saved already; a failed save is tried again. */
  synchronized CompletionStage<Void> durable() {
    if (done) {
      return CompletableFuture.completedFuture(null);
    }
    if (saved == null || saved.toCompletableFuture().isCompletedExceptionally()) {
      saved = leases.save(update);
    }
    return saved;
  }

  /**
   * The update finished: removes its saved copy, if any, then publishes the outcome.
   *
   * @param end how it ended
   */
  void finish(Outcome end) {
    CompletionStage<Void> save;
    synchronized (this) {
      done = true;
      save = saved;
    }
    if (save != null) {
      leases.finished(update.getUpdateId(), save);
    }
    complete(end);
  }
}
