package dev.botrunner.internal.store;

/**
 * The update's id was already recorded as processed when its own session write tried to record it:
 * another run of the same update committed first, so this write was rolled back.
 */
public final class DuplicateUpdateException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * @param updateId the update
   */
  public DuplicateUpdateException(int updateId) {
    super("update " + updateId + " was already processed: its session write was rolled back");
  }
}
