package dev.botrunner.internal.store;

import dev.botrunner.internal.config.DatasourceUrl;
import dev.botrunner.internal.logging.TokenRedactor;
import io.vertx.mutiny.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** {@link Delivery} in the PostgreSQL database of the {@link PostgresSessionStore}. */
final class PostgresDelivery implements Delivery {

  private final PostgresSessionStore sessions;
  private final PendingUpdates pending;

  PostgresDelivery(PostgresSessionStore sessions) {
    this.sessions = sessions;
    this.pending = new PostgresPendingUpdates(sessions.pool(), sessions.botId());
  }

  @Override
  public PendingUpdates pending() {
    return pending;
  }

  @Override
  public Optional<PostgresPollerLock> pollerLock(Vertx vertx) {
    return Optional.of(new PostgresPollerLock(vertx, connectOptions(), sessions.botId()));
  }

  /** The session store's database, for the poller lock's own connection. */
  private static PgConnectOptions connectOptions() {
    Config config = ConfigProvider.getConfig();
    return connectOptions(
        config.getValue(DatasourceUrl.PROPERTY, String.class),
        config.getOptionalValue("quarkus.datasource.username", String.class),
        config.getOptionalValue("quarkus.datasource.password", String.class));
  }

  /**
   * @param reactiveUrl {@code QUARKUS_DATASOURCE_REACTIVE_URL}
   * @param user the username, when set on its own
   * @param password the password, when set on its own
   * @return the options of the poller lock's connection
   * @throws IllegalStateException when the URL cannot be parsed; its message names the setting and
   *     quotes the URL without its password (the parser's own message quotes it whole)
   */
  static PgConnectOptions connectOptions(
      String reactiveUrl, Optional<String> user, Optional<String> password) {
    String url = reactiveUrl.trim();
    if (url.startsWith("vertx-reactive:")) {
      url = url.substring("vertx-reactive:".length());
    }
    PgConnectOptions options;
    try {
      options = PgConnectOptions.fromUri(url);
    } catch (IllegalArgumentException e) {
      TokenRedactor redactor = new TokenRedactor(null);
      throw new IllegalStateException(
          DatasourceUrl.PROPERTY
              + " (QUARKUS_DATASOURCE_REACTIVE_URL) is not a PostgreSQL URL: "
              + redactor.redactUrl(url)
              + " ("
              + redactor.redactUrl(e.getMessage())
              + ")");
    }
    user.ifPresent(options::setUser);
    password.ifPresent(options::setPassword);
    return options;
  }
}
