package dev.botrunner.internal.dispatch;

import dev.botrunner.config.BotConfig;
import dev.botrunner.config.InvalidBotConfigException;
import dev.botrunner.internal.config.VirtualThreadsSupport;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * The executor of the bot's blocking code ({@code BOT_BLOCKING_THREADS}): each {@code Handler}
 * reached on an event loop, and every update's middleware with {@code
 * BOT_MIDDLEWARE_THREAD=worker}. It must let as many blocking calls run at once as there are slots
 * ({@code BOT_CONCURRENCY}): Quarkus's worker pool (at most max(8 × cores, 200) threads) held a bot
 * whose handlers wait 1 s to about 195 updates/s against a limit of 500. A virtual thread per call
 * where the runtime has them ({@link VirtualThreadsSupport}, which says why not Quarkus's own
 * executor), else a platform pool of botrunner's own, as large as the limit; on both the bot's code
 * starts with no Vert.x context, so each update keeps its own request context and MDC. The startup
 * log says which one runs and how many blocking calls it runs at once.
 */
@Singleton
class BlockingThreads {

  private static final Logger LOG = Logger.getLogger(BlockingThreads.class);

  /** How long a thread of the platform pool may stay unused before it ends. */
  static final Duration PLATFORM_IDLE = Duration.ofMinutes(1);

  /** Quarkus's default size of its worker pool: max(8 × cores, 200). */
  private static final int WORKER_POOL_PER_CORE = 8;

  private static final int WORKER_POOL_LEAST = 200;

  private final BotConfig.BlockingThreads kind;
  private final Executor executor;
  private final ExecutorService owned;

  @Inject
  BlockingThreads(BotConfig config) {
    this(config.blockingThreads(), config.concurrency(), VirtualThreadsSupport.available());
  }

  /**
   * @param choice {@code BOT_BLOCKING_THREADS}
   * @param concurrency {@code BOT_CONCURRENCY}: the platform pool's size
   * @param virtualAvailable whether this runtime has virtual threads ({@link
   *     VirtualThreadsSupport#available()})
   */
  BlockingThreads(BotConfig.BlockingThreads choice, int concurrency, boolean virtualAvailable) {
    kind = resolveFor(choice, virtualAvailable);
    switch (kind) {
      case VIRTUAL -> {
        owned = VirtualThreadsSupport.newVirtualThreadPerTaskExecutor();
        executor = owned;
        LOG.infof(
            "blocking handlers run on virtual threads (BOT_BLOCKING_THREADS=%s, JDK %d): up to"
                + " BOT_CONCURRENCY=%d at once",
            name(choice), VirtualThreadsSupport.jdk(), concurrency);
      }
      case PLATFORM -> {
        owned = platformPool(concurrency);
        executor = owned;
        LOG.infof(
            "blocking handlers run on platform threads (BOT_BLOCKING_THREADS=%s%s): a pool of up to"
                + " BOT_CONCURRENCY=%d threads",
            name(choice),
            choice == BotConfig.BlockingThreads.AUTO
                ? ", no virtual threads on JDK " + VirtualThreadsSupport.jdk()
                : "",
            concurrency);
      }
      default -> {
        executor = Infrastructure.getDefaultWorkerPool();
        owned = null;
        int pool = workerPoolSize();
        String message =
            "blocking handlers run on Quarkus's worker pool (BOT_BLOCKING_THREADS=worker-pool): at"
                + " most %d at once (quarkus.thread-pool.max-threads)%s";
        if (pool < concurrency) {
          LOG.warnf(
              message,
              pool,
              ", fewer than BOT_CONCURRENCY="
                  + concurrency
                  + "; set BOT_BLOCKING_THREADS=auto to run as many as the limit");
        } else {
          LOG.infof(message, pool, "");
        }
      }
    }
  }

  /**
   * @param choice {@code BOT_BLOCKING_THREADS}
   * @param virtualAvailable whether this runtime has virtual threads
   * @return the threads that run blocking code: {@code auto} resolved, never {@code AUTO}
   * @throws InvalidBotConfigException for {@code virtual} where there are none
   */
  static BotConfig.BlockingThreads resolveFor(
      BotConfig.BlockingThreads choice, boolean virtualAvailable) {
    if (choice == BotConfig.BlockingThreads.AUTO) {
      return virtualAvailable
          ? BotConfig.BlockingThreads.VIRTUAL
          : BotConfig.BlockingThreads.PLATFORM;
    }
    if (choice == BotConfig.BlockingThreads.VIRTUAL && !virtualAvailable) {
      // The startup validation says the same, in more words, if it runs first.
      throw new InvalidBotConfigException(
          List.of(
              "BOT_BLOCKING_THREADS=virtual: this runtime (JDK "
                  + VirtualThreadsSupport.jdk()
                  + ") has no virtual threads; run on JDK 21 or newer, or set"
                  + " BOT_BLOCKING_THREADS=auto or platform."));
    }
    return choice;
  }

  /**
   * @return the threads that run blocking code (never {@code AUTO})
   */
  BotConfig.BlockingThreads kind() {
    return kind;
  }

  /**
   * @return the executor of blocking code
   */
  Executor executor() {
    return executor;
  }

  @PreDestroy
  void close() {
    if (owned != null) {
      // Updates in flight were drained before the beans are destroyed; what is left is interrupted.
      owned.shutdownNow();
    }
  }

  /**
   * A pool that starts a thread for each blocking call until it has {@code size}, and lets a thread
   * end after {@link #PLATFORM_IDLE} unused. More calls than threads (possible only when updates
   * outlive {@code BOT_UPDATE_TIMEOUT}, which frees their slots) wait in its queue.
   */
  private static ExecutorService platformPool(int size) {
    AtomicInteger count = new AtomicInteger();
    ThreadFactory threads =
        task -> {
          Thread thread = new Thread(task, "botrunner-blocking-" + count.incrementAndGet());
          // The drain on shutdown waits for the updates; these threads must not hold the JVM.
          thread.setDaemon(true);
          return thread;
        };
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            size,
            size,
            PLATFORM_IDLE.toSeconds(),
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            threads);
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  private static int workerPoolSize() {
    return ConfigProvider.getConfig()
        .getOptionalValue("quarkus.thread-pool.max-threads", Integer.class)
        .orElse(
            Math.max(
                WORKER_POOL_PER_CORE * Runtime.getRuntime().availableProcessors(),
                WORKER_POOL_LEAST));
  }

  private static String name(BotConfig.BlockingThreads choice) {
    return choice.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
