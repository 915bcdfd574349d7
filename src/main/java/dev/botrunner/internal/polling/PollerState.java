package dev.botrunner.internal.polling;

/** Where the long-polling loop is; readiness reports it. */
public enum PollerState {
  /** Not started (webhook mode, or before startup). */
  IDLE,
  /** Fetching and dispatching updates. */
  POLLING,
  /** Telegram rejected the token (401): polling stopped until the process restarts. */
  UNAUTHORIZED,
  /** Another replica holds the poller lock: this one waits to take over. */
  STANDBY,
  /** Shutting down: no longer fetching, waiting for updates in flight. */
  DRAINING,
  /** Stopped on shutdown. */
  STOPPED
}
