package dev.botrunner.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every botrunner setting, under the {@code bot} prefix. Each one can be set by an environment
 * variable named after it ({@code bot.polling.timeout} is {@code BOT_POLLING_TIMEOUT}); README's
 * configuration table lists them. A value that is not of its setting's type (a number, a duration,
 * a size, one of an enum's values) fails with SmallRye Config's message naming the property; the
 * runtime checks the rest (ranges, combinations, the token) at startup.
 */
@ConfigMapping(prefix = "bot")
public interface BotConfig {

  /** How updates reach the process. */
  enum Mode {
    /** The service asks Telegram for updates with {@code getUpdates}. */
    POLLING,
    /** Telegram posts updates to the service's webhook endpoint. */
    WEBHOOK
  }

  /**
   * The bot token from @BotFather. Optional here only so that a missing token produces our own
   * message instead of a generic one that might echo configuration values.
   */
  Optional<String> token();

  /** Base URL of the Bot API; requests go to {@code <apiUrl>/bot<token>/<method>}. */
  @WithDefault("https://api.telegram.org")
  String apiUrl();

  /** Timeout of one Bot API call (a long poll gets its poll time on top). */
  @WithDefault("PT30S")
  Duration apiTimeout();

  /**
   * Retries of an outbound call after a 5xx or a lost connection (either may have been carried out,
   * so they are counted); getUpdates has its own loop.
   */
  @WithDefault("3")
  int apiMaxRetries();

  /**
   * How long after its first attempt an outbound call is still retried after a 429 (flood control);
   * 429s are not counted against {@link #apiMaxRetries()}. 0 disables retrying a 429.
   */
  @WithDefault("PT5M")
  Duration apiFloodBudget();

  /** Longest wait before a retry; a 429 asking for longer fails at once. */
  @WithDefault("PT60S")
  Duration apiMaxDelay();

  /**
   * Pace sending methods within Telegram's limits (30/s overall, 1/s per private chat, 20/min per
   * group); off by default.
   */
  @WithDefault("false")
  boolean apiThrottle();

  /** Messages that may wait in the throttle; beyond it a call fails at once. */
  @WithDefault("10000")
  int apiThrottleMaxQueue();

  /**
   * When Telegram answers that a group became a supergroup ({@code migrate_to_chat_id}), make the
   * call once more on the new chat id.
   */
  @WithDefault("false")
  boolean apiFollowMigration();

  /** Update source of this process. */
  @WithDefault("webhook")
  Mode mode();

  /** Maximum number of updates whose middleware runs at the same time. */
  @WithDefault("500")
  int concurrency();

  /** Which thread starts an update's middleware. */
  enum MiddlewareThread {
    /**
     * A worker of Quarkus's pool: any middleware may block. Costs two thread hand-offs per update
     * (to the worker, and back to an event loop for the Bot API call). For bots whose reactive
     * {@code Middleware} blocks.
     */
    WORKER,
    /**
     * A Vert.x event loop (the default, Quarkus's rule for reactive code): the one that gives the
     * update its turn (the poller's answer, the webhook post, the end of the chat's previous
     * update), or the next one when that was a worker. Reactive middleware ({@code Uni}-returning)
     * must not block, and a warning names the one that does; blocking {@code Handler}s always run
     * on a worker.
     */
    EVENT_LOOP
  }

  /**
   * Where middleware starts: {@code event-loop} (default; reactive {@code Middleware} must not
   * block, {@code Handler}s run on workers) or {@code worker} (any middleware may block).
   */
  @WithDefault("event-loop")
  MiddlewareThread middlewareThread();

  /** Which threads run blocking code. */
  enum BlockingThreads {
    /**
     * Virtual threads where the runtime has them (JDK 21 or newer, and native executables), else
     * {@link #PLATFORM}. The default.
     */
    AUTO,
    /**
     * A virtual thread per blocking call, as {@code @RunOnVirtualThread} gives a Quarkus method;
     * needs JDK 21 or newer. Blocking inside {@code synchronized} pins the carrier thread before
     * JDK 24.
     */
    VIRTUAL,
    /**
     * A pool of platform threads of botrunner's own, at most {@code BOT_CONCURRENCY} of them,
     * started as needed and stopped after a minute unused.
     */
    PLATFORM,
    /**
     * Quarkus's worker pool ({@code quarkus.thread-pool.max-threads}, by default max(8 × cores,
     * 200)), shared with the application's other blocking work: at most that many blocking calls
     * run at once, whatever {@code BOT_CONCURRENCY} says.
     */
    WORKER_POOL
  }

  /**
   * Where blocking code runs: each {@code Handler}, and with {@code BOT_MIDDLEWARE_THREAD=worker}
   * all middleware. {@code auto} (default): virtual threads on JDK 21+ and in native executables,
   * else a platform pool of {@code BOT_CONCURRENCY} threads; {@code virtual}, {@code platform} or
   * {@code worker-pool} choose one.
   */
  @WithDefault("auto")
  BlockingThreads blockingThreads();

  /**
   * Maximum number of updates accepted but not yet running (waiting behind their chat or for a
   * slot); bounds memory when one chat is much busier than the rest.
   */
  @WithDefault("5000")
  int maxWaiting();

  /**
   * Update types to receive; empty means Telegram's default (every type except chat_member,
   * message_reaction and message_reaction_count).
   */
  Optional<List<String>> allowedUpdates();

  /**
   * An update running longer than this is reported and its keys released so its chat can go on;
   * unset means no limit.
   */
  Optional<Duration> updateTimeout();

  /**
   * On shutdown, how long updates in flight may take to finish before the process exits (they are
   * left unconfirmed and delivered again). Keep it below Kubernetes' grace period (30 s default).
   */
  @WithDefault("PT25S")
  Duration shutdownGrace();

  /**
   * How long processed update ids are remembered to skip a redelivered update (PostgreSQL table
   * {@code bot_processed_update}; the memory store keeps a bounded window instead).
   */
  @WithDefault("PT24H")
  Duration dedupeRetention();

  /** Long-polling settings. */
  Polling polling();

  /** Webhook settings, used when {@code BOT_MODE=webhook}. */
  Webhook webhook();

  /** The demo bot. */
  Example example();

  /** Session storage. */
  Session session();

  /** The outbox of units of work ({@code ctx.transaction}). */
  Outbox outbox();

  /** Settings of the outbox: the Bot API calls made inside units of work, sent after the commit. */
  interface Outbox {
    /**
     * How long the process that committed a unit has to send its calls before another process's
     * sweep may send them: a call still unsent then may go twice (the guarantee is at least once).
     */
    @WithDefault("PT60S")
    Duration lease();

    /**
     * How often the sweep looks for calls whose lease ended (left by a process that died after its
     * commit) and sends them; {@code off} disables it. Read by the scheduler as {@code
     * ${bot.outbox.sweep-every}}.
     */
    @WithDefault("10s")
    String sweepEvery();
  }

  /** Session settings. */
  interface Session {

    /** Where sessions are kept. */
    enum Store {
      /** PostgreSQL when {@code QUARKUS_DATASOURCE_REACTIVE_URL} is set, else memory. */
      AUTO,
      /** This process's memory: lost on restart, not shared between replicas. */
      MEMORY,
      /** The {@code bot_session} table of the configured PostgreSQL datasource. */
      POSTGRES
    }

    /** What happens when a session write loses to another writer. */
    enum OnConflict {
      /** The write is rejected and the bot's error handler gets the conflict. */
      FAIL,
      /** The update's middleware reruns on fresh session data (idempotent handlers only). */
      RETRY
    }

    /** The session store. */
    @WithDefault("auto")
    Store store();

    /** The conflict policy. */
    @WithDefault("fail")
    OnConflict onConflict();

    /** Reruns per update under {@code retry} before the conflict is reported. */
    @WithDefault("3")
    int maxRetries();

    /** A session not written for this long reads as absent and is swept; unset: kept for ever. */
    Optional<Duration> ttl();

    /**
     * How often the sweeper deletes expired sessions ({@code 10m}, {@code 1h}; {@code off} disables
     * it). Read by the scheduler as {@code ${bot.session.sweep-every}}.
     */
    @WithDefault("10m")
    String sweepEvery();
  }

  /** Settings of the {@code getUpdates} loop. */
  interface Polling {
    /** Long-poll timeout in seconds that Telegram holds a {@code getUpdates} request open. */
    @WithDefault("30")
    int timeout();

    /**
     * Delete a registered webhook before polling (Telegram refuses getUpdates while one is set).
     */
    @WithDefault("false")
    boolean deleteWebhook();

    /**
     * First delay after a failed {@code getUpdates}; doubles per failure up to {@link #maxBackoff}.
     */
    @WithDefault("PT0.5S")
    Duration minBackoff();

    /** Upper bound of the retry delay of the polling loop. */
    @WithDefault("PT30S")
    Duration maxBackoff();
  }

  /** Settings of the webhook endpoint and of its registration with Telegram. */
  interface Webhook {
    /** Path of the endpoint Telegram posts updates to. */
    @WithDefault("/telegram/webhook")
    String path();

    /**
     * The {@code secret_token} Telegram sends in {@code X-Telegram-Bot-Api-Secret-Token}: 1 to 256
     * characters {@code A-Z a-z 0-9 _ -}. Required in webhook mode unless {@link #insecure()}.
     */
    Optional<String> secret();

    /** Accept updates without a secret; for local experiments only. */
    @WithDefault("false")
    boolean insecure();

    /**
     * Largest accepted body: bytes, or with a K, M or G suffix (powers of 1024), as Quarkus reads
     * its own sizes. The converter is named so the mapping reads the same outside Quarkus (tests,
     * tools building a plain SmallRye Config).
     */
    @WithDefault("1M")
    @WithConverter(MemorySizeConverter.class)
    MemorySize maxBody();

    /** The answer is sent after this long at the latest, even if the update still runs (< 60s). */
    @WithDefault("PT10S")
    Duration timeout();

    /**
     * With PostgreSQL, how long an update saved at the deadline stays this process's without a
     * renewal; after a crash another process runs it again this long after the last renewal.
     */
    @WithDefault("PT30S")
    Duration lease();

    /** Answer 500 when the middleware failed, so Telegram re-sends the update. */
    @WithDefault("false")
    boolean retryOnError();

    /**
     * Send an update's reply in the answer to Telegram's post instead of a request of its own
     * (grammY's {@code webhookReply}): the update's first {@code ctx.reply(..)}, when no later call
     * of the update follows it. Its result is then unknown ({@code null}) and so is any error.
     */
    @WithDefault("false")
    boolean reply();

    /** When this many updates wait in the scheduler, new ones are answered 503. */
    @WithDefault("5000")
    int maxWaiting();

    /** Public HTTPS URL of the endpoint; when set, the webhook is registered at startup. */
    Optional<String> url();

    /** {@code max_connections} passed to setWebhook: 1 to 100. */
    @WithDefault("40")
    int maxConnections();
  }

  /** Settings of the bundled demo bot. */
  interface Example {
    /** Whether the demo bot (greeting plus per-chat counter) is installed. */
    @WithDefault("true")
    boolean enabled();

    /** How the demo bot's counting step is written. */
    enum Style {
      /** A reactive {@code Middleware}: the session is loaded and the wait is a delayed item. */
      REACTIVE,
      /** A blocking {@code Handler}: {@code session().get(..)} and the wait is a sleep. */
      BLOCKING
    }

    /**
     * The demo bot's counting step as a reactive {@code Middleware} (default) or a blocking {@code
     * Handler}; with {@link #delay()}, a stand-in for a bot whose handler waits on a slow service.
     */
    @WithDefault("reactive")
    Style style();

    /**
     * How long the demo bot waits before each counted answer (a blocking sleep or a delayed item,
     * after {@link #style()}); 0 (default) answers at once.
     */
    @WithDefault("PT0S")
    Duration delay();

    /** Whether the demo bot's reactive counting step makes a statement of its own, and how. */
    enum Statement {
      /** None: the session and the reply only. */
      NONE,
      /** {@code SELECT 1} on the application's pool, in a transaction of its own. */
      PLAIN,
      /** {@code SELECT 1} in the update's unit of work ({@code ctx.transaction}). */
      UNIT
    }

    /**
     * The demo bot's own statement (reactive style, no delay, PostgreSQL only): {@code none}
     * (default), {@code plain} or {@code unit}; for the load benchmark's cost of a unit of work.
     */
    @WithDefault("none")
    Statement statement();
  }
}
