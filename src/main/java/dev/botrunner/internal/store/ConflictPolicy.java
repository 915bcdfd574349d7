package dev.botrunner.internal.store;

import dev.botrunner.SessionConflictException;

/**
 * What the dispatcher does when an update's session write loses to another writer.
 *
 * @param retry false: the write is rejected and the error handler gets the {@link
 *     SessionConflictException}; true: the update's middleware reruns on fresh session data
 * @param maxRetries reruns allowed per update before the conflict goes to the error handler
 */
public record ConflictPolicy(boolean retry, int maxRetries) {

  /** Reject the write and report the conflict (the default). */
  public static final ConflictPolicy FAIL = new ConflictPolicy(false, 0);

  /**
   * @param maxRetries reruns allowed per update
   * @return a policy that reruns the middleware (safe only for idempotent handlers)
   */
  public static ConflictPolicy retry(int maxRetries) {
    return new ConflictPolicy(true, maxRetries);
  }
}
