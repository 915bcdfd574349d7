package dev.botrunner;

/**
 * The outbound throttle already holds {@code BOT_API_THROTTLE_MAX_QUEUE} messages; the call failed
 * at once instead of waiting. Not retried: waiting is what the full queue refused.
 */
public final class ThrottleQueueFullException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * @param method the Bot API method that was refused
   * @param maxQueue the configured bound
   */
  public ThrottleQueueFullException(String method, int maxQueue) {
    super(
        method
            + " refused: the outbound throttle queue is full ("
            + maxQueue
            + " messages waiting, BOT_API_THROTTLE_MAX_QUEUE); the bot sends faster than Telegram"
            + " allows (30/s overall, 1/s per private chat, 20/min per group)");
  }
}
