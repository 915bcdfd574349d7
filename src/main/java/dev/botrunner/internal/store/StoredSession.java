package dev.botrunner.internal.store;

/**
 * A session as a store holds it.
 *
 * @param json the serialized session data
 * @param version the version read; a write must name it to succeed
 * @param verbatim whether {@code json} is the text exactly as it was written (the memory store),
 *     not a store's normalised form of it (PostgreSQL's jsonb reorders keys and adds spaces). A
 *     verbatim text can be compared with a new serialization as it is, which saves serializing the
 *     value once more after every read.
 */
public record StoredSession(String json, long version, boolean verbatim) {

  /**
   * A session whose text a store may have normalised.
   *
   * @param json the serialized session data
   * @param version the version read
   */
  public StoredSession(String json, long version) {
    this(json, version, false);
  }
}
