package dev.botrunner.update;

/** Where the long-polling loop is; readiness reports it. */
public enum PollerState {
  /** Not started (webhook mode, or before startup). */
  IDLE,
  /** Fetching and dispatching updates. */
  POLLING,
  /** Telegram rejected the token (401): polling stopped until the process restarts. */
  UNAUTHORIZED,
  /** Stopped on shutdown. */
  STOPPED
}
