package dev.botrunner.internal.dispatch;

import io.netty.channel.EventLoopGroup;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.Executor;

/**
 * Starts middleware on a Vert.x event loop ({@code BOT_MIDDLEWARE_THREAD=event-loop}): inline when
 * the caller is one (the poll answer, the webhook post, the reply that ended the chat's previous
 * update), which is the common case and costs no hand-off; otherwise on the next event loop. The
 * scheduler starts tasks outside its lock, through a per-thread loop, so inline starts neither
 * deadlock nor nest.
 */
public final class EventLoopStarts implements Executor {

  private final EventLoopGroup loops;

  /**
   * @param vertx the Vert.x instance whose event loops run the middleware
   */
  public EventLoopStarts(Vertx vertx) {
    this.loops = vertx.nettyEventLoopGroup();
  }

  @Override
  public void execute(Runnable task) {
    // Off a loop only when the chat's previous update ended on a worker, e.g. a blocking handler
    // whose last call had already been answered when it returned.
    if (Context.isOnEventLoopThread()) {
      task.run();
    } else {
      loops.next().execute(task);
    }
  }
}
