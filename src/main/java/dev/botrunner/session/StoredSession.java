package dev.botrunner.session;

/**
 * A session as a store holds it.
 *
 * @param json the serialized session data
 * @param version the version read; a write must name it to succeed
 */
public record StoredSession(String json, long version) {}
