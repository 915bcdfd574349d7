package dev.botrunner.internal.config;

import dev.botrunner.config.BotConfig;
import dev.botrunner.config.InvalidBotConfigException;
import dev.botrunner.internal.logging.TokenRedactor;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.scheduler.common.runtime.util.SchedulerUtils;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks {@link BotConfig} once at startup and explains every problem in terms of the environment
 * variable to fix. The token's value is never part of a message.
 *
 * <p>What a type can say is left to SmallRye Config: a value that is not a number, a duration, a
 * size or one of an enum's values fails while the mapping is read, with a message naming the
 * property. What stays here is what no type says: ranges, settings that depend on each other, and
 * the URLs and the token, kept as strings so that no converter quotes a token in its message. (Bean
 * Validation constraints would say the ranges, but quarkus-hibernate-validator is not on the
 * runtime's classpath and is not worth an extension for this.)
 */
final class BotConfigValidator {

  /** Shape of a @BotFather token: numeric bot id, colon, a secret of URL-safe characters. */
  static final Pattern TOKEN = Pattern.compile("\\d{1,20}:[A-Za-z0-9_-]{30,}");

  /** Characters Telegram allows in a webhook {@code secret_token}. */
  static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{1,256}");

  /** Largest body the webhook's BodyHandler can hold (an int). */
  private static final BigInteger MAX_BODY = BigInteger.valueOf(Integer.MAX_VALUE);

  /** Longest long poll accepted: below the 60 s after which proxies commonly cut an idle call. */
  static final int MAX_POLL_SECONDS = 50;

  /** Telegram gives up on a webhook post after this and re-sends it: the answer must come first. */
  static final Duration TELEGRAM_WEBHOOK_WAIT = Duration.ofSeconds(60);

  /** Shortest webhook lease: it is renewed every third of it, which must stay a real period. */
  static final Duration MIN_LEASE = Duration.ofSeconds(1);

  private BotConfigValidator() {}

  /**
   * Returns the list of problems found; empty when the configuration is usable.
   *
   * @param config the settings to check
   * @return one human-readable sentence per problem
   */
  public static List<String> problems(BotConfig config) {
    return problems(config, false);
  }

  /**
   * Returns the list of problems found; empty when the configuration is usable.
   *
   * @param config the settings to check
   * @param datasourceConfigured whether {@code quarkus.datasource.reactive.url} is set
   * @return one human-readable sentence per problem
   */
  public static List<String> problems(BotConfig config, boolean datasourceConfigured) {
    List<String> problems = new ArrayList<>();
    String token = config.token().map(String::trim).orElse("");
    if (token.isEmpty()) {
      problems.add(
          "BOT_TOKEN is not set: set it to the token that @BotFather gave your bot"
              + " (it looks like 123456789:AA...).");
    } else if (!TOKEN.matcher(token).matches()) {
      problems.add(
          "BOT_TOKEN is malformed: expected the form <digits>:<at least 30 letters, digits, '_' or"
              + " '-'> as issued by @BotFather (the value is not shown here, for safety).");
    } else {
      try {
        BotId.ofToken(token);
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage() + ".");
      }
    }
    try {
      URI uri = URI.create(config.apiUrl());
      if (uri.getHost() == null
          || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        problems.add("BOT_API_URL must be an absolute http(s) URL, for example the default.");
      }
    } catch (IllegalArgumentException e) {
      // The parser quotes the whole value, and a token may be in it.
      problems.add("BOT_API_URL is not a valid URL: " + redactor(config).redactUrl(e.getMessage()));
    }
    if (config.apiTimeout().isNegative() || config.apiTimeout().isZero()) {
      problems.add("BOT_API_TIMEOUT must be positive, e.g. 30s (default).");
    }
    if (config.apiMaxRetries() < 0) {
      problems.add("BOT_API_MAX_RETRIES must be 0 or more (default 3).");
    }
    if (config.apiFloodBudget().isNegative()) {
      problems.add(
          "BOT_API_FLOOD_BUDGET must not be negative, e.g. 5m (default): how long a call is retried"
              + " after 429 Too Many Requests; 0 turns those retries off.");
    }
    if (config.apiMaxDelay().isNegative()) {
      problems.add("BOT_API_MAX_DELAY must not be negative (default 60s).");
    }
    if (config.apiThrottleMaxQueue() < 1) {
      problems.add("BOT_API_THROTTLE_MAX_QUEUE must be at least 1 (default 10000).");
    }
    if (config.concurrency() < 1) {
      problems.add("BOT_CONCURRENCY must be at least 1 (default 500).");
    }
    if (config.maxWaiting() < 1) {
      problems.add("BOT_MAX_WAITING must be at least 1 (default 5000).");
    }
    String threads = blockingThreadsProblem(config.blockingThreads(), VirtualThreadsSupport.jdk());
    if (threads != null) {
      problems.add(threads);
    }
    if (config.example().delay().isNegative()) {
      problems.add("BOT_EXAMPLE_DELAY must not be negative, e.g. 1s, or 0s (default).");
    }
    int timeout = config.polling().timeout();
    if (timeout < 0 || timeout > MAX_POLL_SECONDS) {
      problems.add("BOT_POLLING_TIMEOUT must be between 0 and 50 seconds (default 30).");
    }
    if (config.polling().minBackoff().isNegative()
        || config.polling().maxBackoff().compareTo(config.polling().minBackoff()) < 0) {
      problems.add(
          "BOT_POLLING_MIN_BACKOFF must be >= 0 and BOT_POLLING_MAX_BACKOFF at least as large.");
    }
    config
        .updateTimeout()
        .filter(d -> d.isNegative() || d.isZero())
        .ifPresent(d -> problems.add("BOT_UPDATE_TIMEOUT must be positive, e.g. 30s, or unset."));
    if (config.shutdownGrace().isNegative()) {
      problems.add(
          "BOT_SHUTDOWN_GRACE must not be negative, e.g. 25s (default); keep it below the"
              + " orchestrator's grace period (Kubernetes: 30s).");
    }
    if (config.dedupeRetention().isNegative() || config.dedupeRetention().isZero()) {
      problems.add(
          "BOT_DEDUPE_RETENTION must be positive, e.g. 24h (default): how long processed update"
              + " ids are kept to skip redelivered updates.");
    }
    BotConfig.Session session = config.session();
    if (session.store() == BotConfig.Session.Store.POSTGRES && !datasourceConfigured) {
      problems.add(
          "BOT_SESSION_STORE=postgres needs a database: set QUARKUS_DATASOURCE_REACTIVE_URL (e.g."
              + " postgresql://db:5432/botrunner) and QUARKUS_DATASOURCE_USERNAME/PASSWORD, or use"
              + " BOT_SESSION_STORE=memory.");
    }
    if (config.example().statement() != BotConfig.Example.Statement.NONE
        && (!datasourceConfigured || session.store() == BotConfig.Session.Store.MEMORY)) {
      problems.add(
          "BOT_EXAMPLE_STATEMENT needs the PostgreSQL store: set QUARKUS_DATASOURCE_REACTIVE_URL,"
              + " or leave it at none (default).");
    }
    if (session.maxRetries() < 0) {
      problems.add("BOT_SESSION_MAX_RETRIES must be 0 or more (default 3).");
    }
    session
        .ttl()
        .filter(d -> d.isNegative() || d.isZero())
        .ifPresent(d -> problems.add("BOT_SESSION_TTL must be positive, e.g. 30d, or unset."));
    if (!validInterval(session.sweepEvery().trim())) {
      problems.add(
          "BOT_SESSION_SWEEP_EVERY must be a duration such as 10m, 1h or PT30S, or 'off'.");
    }
    if (config.outbox().lease().isNegative() || config.outbox().lease().isZero()) {
      problems.add("BOT_OUTBOX_LEASE must be positive, e.g. 60s.");
    }
    if (!validInterval(config.outbox().sweepEvery().trim())) {
      problems.add("BOT_OUTBOX_SWEEP_EVERY must be a duration such as 10s, 1m or PT30S, or 'off'.");
    }
    webhookProblems(config, problems);
    return problems;
  }

  /**
   * Whether the chosen threads for blocking code exist on this runtime.
   *
   * @param choice {@code BOT_BLOCKING_THREADS}
   * @param jdk the running JDK's feature version
   * @return the problem, or null when there is none
   */
  static String blockingThreadsProblem(BotConfig.BlockingThreads choice, int jdk) {
    if (choice == BotConfig.BlockingThreads.VIRTUAL && jdk < VirtualThreadsSupport.FIRST_JDK) {
      return "BOT_BLOCKING_THREADS=virtual needs a JDK "
          + VirtualThreadsSupport.FIRST_JDK
          + " or newer runtime, and this is JDK "
          + jdk
          + ": run on JDK 21+ (the JVM image does), or set BOT_BLOCKING_THREADS=auto or platform"
          + " (a pool of BOT_CONCURRENCY platform threads).";
    }
    return null;
  }

  private static void webhookProblems(BotConfig config, List<String> problems) {
    BotConfig.Webhook webhook = config.webhook();
    if (!webhook.path().startsWith("/")) {
      problems.add("BOT_WEBHOOK_PATH must start with '/', e.g. /telegram/webhook (default).");
    }
    String secret = webhook.secret().orElse("");
    if (!secret.isEmpty() && !SECRET.matcher(secret).matches()) {
      problems.add(
          "BOT_WEBHOOK_SECRET must be 1 to 256 characters A-Z, a-z, 0-9, '_' or '-' (Telegram's"
              + " rule for secret_token; the value is not shown here).");
    }
    if (config.mode() == BotConfig.Mode.WEBHOOK && secret.isEmpty() && !webhook.insecure()) {
      problems.add(
          "BOT_MODE=webhook needs BOT_WEBHOOK_SECRET: without it anyone who finds the URL can post"
              + " fake updates. Set a random secret (e.g. `openssl rand -hex 32`), or set"
              + " BOT_WEBHOOK_INSECURE=true to accept unauthenticated posts (local tests only),"
              + " or use BOT_MODE=polling.");
    }
    // Compared as BigInteger: a size such as 9E does not fit in a long.
    BigInteger maxBody = webhook.maxBody().asBigInteger();
    if (maxBody.signum() < 1 || maxBody.compareTo(MAX_BODY) > 0) {
      problems.add(
          "BOT_WEBHOOK_MAX_BODY must be a positive size below 2G, in bytes or with a K or M"
              + " suffix, e.g. 1M (default).");
    }
    Duration timeout = webhook.timeout();
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(TELEGRAM_WEBHOOK_WAIT) >= 0) {
      problems.add(
          "BOT_WEBHOOK_TIMEOUT must be positive and below 60s (Telegram gives up after 60s and"
              + " re-sends), e.g. 10s (default).");
    }
    if (webhook.lease().compareTo(MIN_LEASE) < 0) {
      problems.add(
          "BOT_WEBHOOK_LEASE must be at least 1s (it is renewed every third of it), e.g. 30s"
              + " (default).");
    }
    if (webhook.maxWaiting() < 1) {
      problems.add("BOT_WEBHOOK_MAX_WAITING must be at least 1 (default 5000).");
    }
    if (webhook.maxConnections() < 1 || webhook.maxConnections() > 100) {
      problems.add("BOT_WEBHOOK_MAX_CONNECTIONS must be between 1 and 100 (default 40).");
    }
    webhook
        .url()
        .filter(url -> !url.isBlank())
        .ifPresent(
            url -> {
              try {
                URI uri = URI.create(url.trim());
                if (uri.getHost() == null || !"https".equals(uri.getScheme())) {
                  problems.add(
                      "BOT_WEBHOOK_URL must be an absolute https URL (Telegram only posts to"
                          + " HTTPS, on port 443, 80, 88 or 8443).");
                }
              } catch (IllegalArgumentException e) {
                problems.add(
                    "BOT_WEBHOOK_URL is not a valid URL: "
                        + redactor(config).redactUrl(e.getMessage()));
              }
            });
  }

  private static TokenRedactor redactor(BotConfig config) {
    return new TokenRedactor(config.token().orElse(null));
  }

  /**
   * Throws when the configuration is unusable, with every problem in the message.
   *
   * @param config the settings to check
   * @throws InvalidBotConfigException listing what to fix
   */
  public static void requireValid(BotConfig config) {
    requireValid(config, false);
  }

  /**
   * Throws when the configuration is unusable, with every problem in the message.
   *
   * @param config the settings to check
   * @param datasourceConfigured whether {@code quarkus.datasource.reactive.url} is set
   * @throws InvalidBotConfigException listing what to fix
   */
  public static void requireValid(BotConfig config, boolean datasourceConfigured) {
    List<String> problems = problems(config, datasourceConfigured);
    if (!problems.isEmpty()) {
      throw new InvalidBotConfigException(problems);
    }
  }

  /** Whether the scheduler accepts the value as an {@code every} interval: its own parsing. */
  private static boolean validInterval(String value) {
    if (SchedulerUtils.isOff(value)) {
      return true;
    }
    try {
      return !DurationConverter.parseDuration(value).isNegative();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
