package dev.botrunner.internal.dispatch;

/** How the handling of one update ended, as far as its source is concerned. */
public enum Outcome {
  /** The middleware and its calls finished and the session was written. */
  DONE,
  /** Something failed; the error handler was told. */
  FAILED,
  /** It ran past {@code BOT_UPDATE_TIMEOUT}; its keys were released while it goes on. */
  TIMED_OUT
}
