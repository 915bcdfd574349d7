package dev.botrunner.internal.store;

import dev.botrunner.config.BotConfig;
import dev.botrunner.internal.config.BotId;
import dev.botrunner.internal.config.DatasourceUrl;
import dev.botrunner.internal.config.StartupValidation;
import dev.botrunner.internal.logging.TokenRedactor;
import io.quarkus.arc.DefaultBean;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * The session store bean, chosen by {@code BOT_SESSION_STORE} (unless the application declares its
 * own {@link SessionStore} bean); applies the schema migrations at startup and runs the sweeper.
 */
@Singleton
public class SessionStoreProducer {

  private static final Logger LOG = Logger.getLogger(SessionStoreProducer.class);

  /** Startup priority of the migrations: after validation, before any update source starts. */
  public static final int MIGRATION_PRIORITY = StartupValidation.PRIORITY + 50;

  /** The application's JDBC pool size, which the migrations need room in. */
  private static final String JDBC_MAX_SIZE = "quarkus.datasource.jdbc.max-size";

  private static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(60);

  private final Instance<SessionStore> store;
  private final SessionMetrics metrics;
  private final BotConfig config;

  /** The scheduler may fire before the startup migrations ran; the sweeper waits for them. */
  private volatile boolean schemaReady;

  SessionStoreProducer(Instance<SessionStore> store, SessionMetrics metrics, BotConfig config) {
    this.store = store;
    this.metrics = metrics;
    this.config = config;
  }

  /**
   * @param setting the configured store
   * @param datasourceConfigured whether a reactive datasource URL is set
   * @return the store to use: {@code auto} resolved
   */
  public static BotConfig.Session.Store resolve(
      BotConfig.Session.Store setting, boolean datasourceConfigured) {
    if (setting == BotConfig.Session.Store.AUTO) {
      return datasourceConfigured
          ? BotConfig.Session.Store.POSTGRES
          : BotConfig.Session.Store.MEMORY;
    }
    return setting;
  }

  @Produces
  @Singleton
  @DefaultBean
  SessionStore sessionStore(BotConfig config, Instance<Pool> pools) {
    boolean datasource = DatasourceUrl.configured();
    if (resolve(config.session().store(), datasource) == BotConfig.Session.Store.MEMORY) {
      LOG.info("sessions are kept in memory (set QUARKUS_DATASOURCE_REACTIVE_URL for PostgreSQL)");
      return new MemorySessionStore();
    }
    if (!datasource) {
      // Normally stopped earlier by StartupValidation, with the same advice.
      throw new IllegalStateException(
          "BOT_SESSION_STORE=postgres needs QUARKUS_DATASOURCE_REACTIVE_URL to be set");
    }
    BotId bot = BotId.ofToken(config.token().orElse(""));
    LOG.infof("sessions are kept in PostgreSQL (table bot_session, rows of bot %s)", bot);
    return new PostgresSessionStore(pools.get(), bot, config.session().ttl().orElse(null));
  }

  /**
   * @param sessions the session store
   * @return the delivery state that goes with it
   */
  @Produces
  @Singleton
  Delivery delivery(SessionStore sessions) {
    return sessions instanceof PostgresSessionStore postgres
        ? new PostgresDelivery(postgres)
        : Delivery.MEMORY;
  }

  /**
   * @return true with the memory store, else once the startup migrations are applied
   */
  public boolean schemaReady() {
    return schemaReady || !(store.get() instanceof PostgresSessionStore);
  }

  void migrate(
      @Observes @Priority(MIGRATION_PRIORITY) StartupEvent event, Instance<DataSource> jdbc) {
    if (store.get() instanceof PostgresSessionStore postgres) {
      requireRoomForMigrations(
          ConfigProvider.getConfig().getOptionalValue(JDBC_MAX_SIZE, Integer.class));
      int applied;
      try {
        applied = SchemaMigrations.apply(SchemaMigrations.forDataSource(jdbc.get()));
      } catch (RuntimeException e) {
        throw new SessionStoreException(
            "applying the session schema migrations failed: "
                + new TokenRedactor(config.token().orElse(null)).redactUrl(e.getMessage())
                + ". Check QUARKUS_DATASOURCE_REACTIVE_URL, QUARKUS_DATASOURCE_USERNAME and"
                + " QUARKUS_DATASOURCE_PASSWORD",
            e);
      }
      LOG.infof("session schema is up to date (%d migration(s) applied now)", applied);
      claimUnclaimedRows(postgres);
      schemaReady = true;
    }
  }

  /** The JDBC pool is the application's; a size too small for the migrations is named at once. */
  static void requireRoomForMigrations(Optional<Integer> maxSize) {
    if (maxSize.isPresent() && maxSize.get() < SchemaMigrations.CONNECTIONS) {
      throw new SessionStoreException(
          JDBC_MAX_SIZE
              + " is "
              + maxSize.get()
              + ", but botrunner's schema migrations hold "
              + SchemaMigrations.CONNECTIONS
              + " JDBC connections at once (Flyway's two and the migration lock's): set"
              + " QUARKUS_DATASOURCE_JDBC_MAX_SIZE to "
              + SchemaMigrations.CONNECTIONS
              + " or more, or leave it unset",
          null);
    }
  }

  /**
   * Rows from before the per-bot schema belong to the one bot that used the database then; the
   * first bot to start after the migration takes them, before it runs any update.
   */
  private static void claimUnclaimedRows(PostgresSessionStore postgres) {
    UnclaimedRows.Claimed claimed;
    try {
      claimed = postgres.claimUnclaimedRows().await().atMost(CLAIM_TIMEOUT);
    } catch (RuntimeException e) {
      throw new SessionStoreException(
          "claiming the rows written before per-bot state failed: " + e.getMessage(), e);
    }
    if (claimed.any()) {
      LOG.warnf(
          "bot %s claimed the rows written before state was kept per bot: %d session(s), %d"
              + " processed update id(s), %d pending update(s). If they were another bot's, see"
              + " docs/sessions.md, \"Upgrading a database from before V3\"",
          postgres.botId(), claimed.sessions(), claimed.processed(), claimed.pending());
    }
  }

  @Scheduled(
      identity = "bot-processed-update-pruner",
      every = "10m",
      delayed = "1m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> pruneProcessed() {
    if (!schemaReady || !(store.get() instanceof PostgresSessionStore postgres)) {
      return Uni.createFrom().voidItem();
    }
    return postgres
        .pruneProcessed(config.dedupeRetention())
        .invoke(
            rows -> {
              if (rows > 0) {
                LOG.infof(
                    "pruned %d processed update id(s) older than %s",
                    rows, config.dedupeRetention());
              }
            })
        .onFailure()
        .invoke(e -> LOG.warnf("pruning processed update ids failed: %s", e.getMessage()))
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }

  @Scheduled(
      identity = "bot-session-sweeper",
      every = "${bot.session.sweep-every:10m}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> sweep() {
    if (!schemaReady || !(store.get() instanceof PostgresSessionStore postgres)) {
      return Uni.createFrom().voidItem();
    }
    return postgres
        .sweepExpired()
        .invoke(
            rows -> {
              metrics.sweep(rows);
              if (rows > 0) {
                LOG.infof("session sweeper deleted %d expired session(s)", rows);
              }
            })
        .onFailure()
        .invoke(e -> LOG.warnf("session sweeper failed: %s", e.getMessage()))
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }
}
