package dev.botrunner;

/**
 * A session changed between this update's read and its write: someone else wrote it (another
 * replica, an update the key function did not serialize, a script). The other writer's data stays.
 */
public final class SessionConflictException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String key;
  private final long expectedVersion;
  private final long actualVersion;

  /**
   * @param key the session key
   * @param expectedVersion the version this update read (0 if none)
   * @param actualVersion the version found at write time (0 if deleted, -1 if unknown)
   */
  public SessionConflictException(String key, long expectedVersion, long actualVersion) {
    super(
        "session "
            + key
            + " was changed by another writer: read version "
            + expectedVersion
            + ", found "
            + (actualVersion < 0 ? "a newer one" : Long.toString(actualVersion))
            + "; this update's session change was not written");
    this.key = key;
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }

  /**
   * @return the session key
   */
  public String key() {
    return key;
  }

  /**
   * @return the version this update read
   */
  public long expectedVersion() {
    return expectedVersion;
  }

  /**
   * @return the version found at write time, or -1 if the store could not tell
   */
  public long actualVersion() {
    return actualVersion;
  }
}
