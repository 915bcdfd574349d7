package dev.botrunner.internal.dispatch;

import jakarta.inject.Singleton;

/**
 * Whether this process is shutting down, or was taken out of rotation: readiness reports DOWN and
 * the webhook answers 503 while it is raised. Shutdown raises it before anything else drains.
 */
@Singleton
public class Draining {

  private volatile boolean on;

  /**
   * Raises or lowers the flag alone, without waiting for anything; for shutdown, for tests and for
   * taking a replica out of rotation.
   *
   * @param on whether new updates are refused
   */
  public void set(boolean on) {
    this.on = on;
  }

  /**
   * @return whether new updates are refused
   */
  public boolean on() {
    return on;
  }
}
