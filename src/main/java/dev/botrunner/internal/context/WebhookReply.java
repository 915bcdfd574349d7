package dev.botrunner.internal.context;

import org.telegram.telegrambots.meta.api.methods.botapimethods.BotApiMethod;

/**
 * Runtime machinery, not for bot code: the answer to one webhook post, which may carry one Bot API
 * call of the update ({@code BOT_WEBHOOK_REPLY}). The update offers its held reply with {@link
 * #claim} when its middleware is done; the webhook takes it with {@link #take} when it answers. A
 * claim after the answer fails, and the update then sends the call itself, so a reply is never
 * dropped: at worst it goes by a request of its own.
 */
public final class WebhookReply {

  private enum State {
    /** Not answered, nothing claimed. */
    OPEN,
    /** A call waits for the answer. */
    CLAIMED,
    /** Answered: later calls go by their own request. */
    ANSWERED
  }

  private State state = State.OPEN;
  private BotApiMethod<?> call;

  /**
   * Offers a call for the answer. A run of the update that starts again (after a lost session write
   * or an unreachable store) offers its own call, which replaces the earlier run's.
   *
   * @param method the call
   * @return true if the answer will carry it; false if the post was answered already
   */
  public synchronized boolean claim(BotApiMethod<?> method) {
    if (state == State.ANSWERED) {
      return false;
    }
    state = State.CLAIMED;
    call = method;
    return true;
  }

  /**
   * Closes the offer for the answer being sent now.
   *
   * @return the call the answer carries, or null for an empty answer
   */
  public synchronized BotApiMethod<?> take() {
    BotApiMethod<?> taken = call;
    state = State.ANSWERED;
    call = null;
    return taken;
  }
}
