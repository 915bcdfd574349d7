package dev.botrunner.internal.client;

import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.Objects;

/** A {@link TelegramClient}'s settings, each named where it is set. */
public final class TelegramClientBuilder {

  /** Connections when none are named: enough for a test or a small bot. */
  public static final int DEFAULT_CONNECTIONS = 8;

  /** A call's timeout when none is named; BOT_API_TIMEOUT's default too. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  final Vertx vertx;
  final String apiUrl;
  final String token;
  int maxConnections = DEFAULT_CONNECTIONS;
  Duration timeout = DEFAULT_TIMEOUT;
  RetryPolicy retries = RetryPolicy.none();
  Throttle throttle;
  boolean followMigration;

  TelegramClientBuilder(Vertx vertx, String apiUrl, String token) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.apiUrl = Objects.requireNonNull(apiUrl, "apiUrl");
    this.token = Objects.requireNonNull(token, "token");
  }

  /**
   * @param maxConnections connection pool size towards the Bot API (default {@value
   *     #DEFAULT_CONNECTIONS})
   * @return this
   */
  public TelegramClientBuilder maxConnections(int maxConnections) {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be at least 1: " + maxConnections);
    }
    this.maxConnections = maxConnections;
    return this;
  }

  /**
   * @param timeout timeout of a call; getUpdates adds its long-poll time to it (default {@link
   *     #DEFAULT_TIMEOUT})
   * @return this
   */
  public TelegramClientBuilder timeout(Duration timeout) {
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    return this;
  }

  /**
   * @param retries how failed calls are retried; getUpdates is not, its loop has its own policy
   *     (default {@link RetryPolicy#none()})
   * @return this
   */
  public TelegramClientBuilder retries(RetryPolicy retries) {
    this.retries = Objects.requireNonNull(retries, "retries");
    return this;
  }

  /**
   * @param throttle paces sending methods within Telegram's limits, or null for none (default)
   * @return this
   */
  public TelegramClientBuilder throttle(Throttle throttle) {
    this.throttle = throttle;
    return this;
  }

  /**
   * @param followMigration whether a call answered with {@code migrate_to_chat_id} is made once
   *     more on the new chat id (default false)
   * @return this
   */
  public TelegramClientBuilder followMigration(boolean followMigration) {
    this.followMigration = followMigration;
    return this;
  }

  /**
   * @return the client; close it with {@link TelegramClient#close()}
   */
  public TelegramClient build() {
    return new TelegramClient(this);
  }
}
