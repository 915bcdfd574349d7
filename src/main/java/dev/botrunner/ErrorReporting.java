package dev.botrunner;

import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

/**
 * Hands a failure to an {@link ErrorHandler}; a handler that itself fails is logged, so that one
 * bad update never escapes into the runner.
 */
final class ErrorReporting {

  private static final Logger LOG = Logger.getLogger(ErrorReporting.class);

  private ErrorReporting() {}

  /**
   * @param handler the error handler
   * @param ctx the failed update's context
   * @param failure what went wrong
   * @return completion once the handler ran
   */
  static Uni<Void> report(ErrorHandler handler, BotContext ctx, Throwable failure) {
    ctx.inUpdateScope(
        () -> {
          try {
            UpdateMdc.with(ctx, () -> handler.handle(new BotError(ctx, failure)));
          } catch (Exception e) {
            LOG.errorf(e, "the error handler failed on update %d", ctx.updateId());
          }
          return null;
        });
    // Calls the handler made (an apology to the user, say) are tracked by the context, and the
    // update is not finished before they are: nothing to wait for here.
    return Uni.createFrom().voidItem();
  }
}
