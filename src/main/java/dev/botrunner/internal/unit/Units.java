package dev.botrunner.internal.unit;

import dev.botrunner.internal.client.TelegramClient;
import dev.botrunner.internal.store.PostgresSessionStore;
import dev.botrunner.internal.store.SessionStore;
import dev.botrunner.internal.store.VersionedSession;
import java.time.Duration;

/**
 * What every update's {@link UnitOfWork} shares: the PostgreSQL session store (its pool and its
 * bot) and the outbox. Exists only with the PostgreSQL store: a unit is one PostgreSQL transaction.
 */
public final class Units {

  private final PostgresSessionStore store;
  private final Outbox outbox;

  /**
   * @param store the PostgreSQL session store
   * @param api the Bot API client that sends the outbox
   */
  public Units(PostgresSessionStore store, TelegramClient api) {
    this(store, api, Outbox.LEASE);
  }

  /**
   * @param store the PostgreSQL session store
   * @param api the Bot API client that sends the outbox
   * @param lease how long the committing process has to send its calls before a sweep may
   */
  public Units(PostgresSessionStore store, TelegramClient api, Duration lease) {
    this.store = store;
    this.outbox = new Outbox(store.pool(), store.botId().value(), api, lease);
  }

  /**
   * @param sessions the session store in use
   * @param api the Bot API client
   * @return the units over it, or null when it is not PostgreSQL
   */
  public static Units over(SessionStore sessions, TelegramClient api) {
    return over(sessions, api, Outbox.LEASE);
  }

  /**
   * @param sessions the session store in use
   * @param api the Bot API client
   * @param lease how long the committing process has to send its calls before a sweep may
   * @return the units over it, or null when it is not PostgreSQL
   */
  public static Units over(SessionStore sessions, TelegramClient api, Duration lease) {
    return sessions instanceof PostgresSessionStore postgres
        ? new Units(postgres, api, lease)
        : null;
  }

  /**
   * @param updateId the update the unit belongs to
   * @param session the update's session, read in the unit's transaction once it is open; or null
   * @return a new unit, whose transaction starts with its first work
   */
  public UnitOfWork open(int updateId, VersionedSession session) {
    return new UnitOfWork(this, updateId, session);
  }

  PostgresSessionStore store() {
    return store;
  }

  Outbox outbox() {
    return outbox;
  }
}
