package dev.botrunner;

/** Carries a checked exception thrown by a {@link Handler}; its cause is the original. */
public final class HandlerException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * @param cause the handler's checked exception
   */
  public HandlerException(Exception cause) {
    super(cause.getMessage(), cause);
  }
}
