package dev.botrunner.internal.unit;

import dev.botrunner.config.BotConfig;
import dev.botrunner.internal.client.TelegramClient;
import dev.botrunner.internal.store.SessionStore;
import dev.botrunner.internal.store.SessionStoreProducer;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * The application's {@link Units} (with the configured lease), and the recovery sweep of their
 * outbox: every {@code BOT_OUTBOX_SWEEP_EVERY}, from shortly after startup, it sends the calls that
 * a process which died after its commit left unsent (their lease ended). With the memory store
 * there are no units and the sweep does nothing.
 */
@Singleton
public class OutboxSweep {

  private static final Logger LOG = Logger.getLogger(OutboxSweep.class);

  private final Units units;
  private final SessionStoreProducer schema;

  OutboxSweep(
      SessionStore sessions, TelegramClient api, BotConfig config, SessionStoreProducer schema) {
    this.units = Units.over(sessions, api, config.outbox().lease());
    this.schema = schema;
  }

  /**
   * @return the units of this application, or null without the PostgreSQL store
   */
  public Units units() {
    return units;
  }

  @Scheduled(
      identity = "bot-outbox-sweep",
      every = "${bot.outbox.sweep-every:10s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> sweep() {
    if (units == null || !schema.schemaReady()) {
      return Uni.createFrom().voidItem();
    }
    return units
        .outbox()
        .sweep()
        .invoke(
            sent -> {
              if (sent > 0) {
                LOG.infof("outbox sweep sent %d call(s) left by a process that died", sent);
              }
            })
        .onFailure()
        .invoke(e -> LOG.warnf("outbox sweep failed: %s", e.getMessage()))
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }
}
