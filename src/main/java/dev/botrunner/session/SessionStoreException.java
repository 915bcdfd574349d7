package dev.botrunner.session;

/** The session store could not be reached or refused a statement (not a version conflict). */
public final class SessionStoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what was attempted
   * @param cause the driver's failure
   */
  public SessionStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
