package dev.botrunner;

import io.smallrye.mutiny.Uni;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * The root composer: the whole bot. Besides middleware it holds the error handler of last resort
 * (grammY's {@code bot.catch}); an update's failure never stops the runner.
 */
public final class Bot extends Composer {

  private static final Logger LOG = Logger.getLogger(Bot.class);

  private volatile ErrorHandler errorHandler =
      error -> LOG.errorf(error.error(), "update %d failed", error.ctx().updateId());

  /**
   * Replaces the default error handler, which logs the failure at ERROR.
   *
   * @param handler receives every failure not caught by an error boundary
   * @return this bot
   */
  public Bot catchError(ErrorHandler handler) {
    this.errorHandler = Objects.requireNonNull(handler, "handler");
    return this;
  }

  /**
   * @return the error handler of last resort
   */
  public ErrorHandler errorHandler() {
    return errorHandler;
  }

  /**
   * Hands an update's failure to the error handler of last resort, as the runtime does for every
   * failure no error boundary caught; a handler that itself fails is logged.
   *
   * @param ctx the failed update's context
   * @param failure what went wrong
   * @return completion once the handler ran
   */
  public Uni<Void> reportError(BotContext ctx, Throwable failure) {
    return ErrorReporting.report(errorHandler, ctx, failure);
  }
}
