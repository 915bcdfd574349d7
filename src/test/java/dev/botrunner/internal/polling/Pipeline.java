package dev.botrunner.internal.polling;

import dev.botrunner.Bot;
import dev.botrunner.config.BotConfig;
import dev.botrunner.internal.client.RetryPolicy;
import dev.botrunner.internal.client.TelegramClient;
import dev.botrunner.internal.dispatch.Dispatcher;
import dev.botrunner.internal.dispatch.EventLoopStarts;
import dev.botrunner.internal.store.MemorySessionStore;
import dev.botrunner.internal.store.SessionStore;
import dev.botrunner.testkit.FakeBotApi;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The real polling pipeline (client, poller, dispatcher, scheduler, middleware, memory sessions)
 * against a fake Bot API, without Quarkus, so a test can pick its own limits and failures: {@code
 * Pipeline.with(fake).concurrency(4).bot(MyTest::setup).build()}, then {@link #start}.
 */
final class Pipeline implements AutoCloseable {

  /** Short polls, so a test that stops the loop does not wait for one to end. */
  static final int POLL_SECONDS = 1;

  /** Quick retries, so a failure a test provokes does not slow it down. */
  static final Duration MIN_BACKOFF = Duration.ofMillis(10);

  /** Small enough that a few failures in a row still retry within a test's waits. */
  static final Duration MAX_BACKOFF = Duration.ofMillis(200);

  /** Plenty of connections to the fake for every test's concurrency. */
  static final int API_CONNECTIONS = 64;

  /** A call's timeout: the fake answers at once unless a test scripts otherwise. */
  static final Duration API_TIMEOUT = Duration.ofSeconds(10);

  final FakeBotApi fake;
  final Vertx vertx = Vertx.vertx();
  final ExecutorService workers = Executors.newCachedThreadPool();
  final TelegramClient api;
  final Bot bot = new Bot();
  final Dispatcher dispatcher;
  final LongPoller poller;

  /**
   * @param fake the Bot API the pipeline polls
   * @return the pipeline's settings, with the defaults {@link Builder} documents
   */
  static Builder with(FakeBotApi fake) {
    return new Builder(fake);
  }

  private Pipeline(Builder b) {
    this.fake = b.fake;
    this.api =
        TelegramClient.builder(vertx, fake.baseUrl(), fake.token())
            .maxConnections(API_CONNECTIONS)
            .timeout(API_TIMEOUT)
            .retries(b.retries)
            .build();
    b.setup.accept(bot);
    this.dispatcher =
        Dispatcher.builder(bot)
            .concurrency(b.concurrency)
            .api(api)
            .sessions(b.store)
            .workers(
                b.thread == BotConfig.MiddlewareThread.WORKER
                    ? workers
                    : new EventLoopStarts(vertx.getDelegate()))
            .build();
    dispatcher.setVertx(vertx.getDelegate());
    LongPollerBuilder polling =
        LongPoller.builder(api, dispatcher)
            .pollSeconds(POLL_SECONDS)
            .deleteWebhook(b.deleteWebhook)
            .maxWaiting(b.maxWaiting)
            .backoff(MIN_BACKOFF, MAX_BACKOFF);
    b.polling.accept(polling);
    this.poller = polling.build();
  }

  Pipeline start() {
    poller.start();
    return this;
  }

  @Override
  public void close() {
    poller.stop();
    dispatcher.close();
    api.close();
    workers.shutdownNow();
    vertx.closeAndAwait();
  }

  /** A pipeline's settings; each one not named keeps its default. */
  static final class Builder {

    private final FakeBotApi fake;
    private int concurrency = 10;
    private int maxWaiting = 100;
    private boolean deleteWebhook;
    private Consumer<Bot> setup = bot -> {};
    private SessionStore store = new MemorySessionStore();
    private BotConfig.MiddlewareThread thread = BotConfig.MiddlewareThread.WORKER;
    private RetryPolicy retries = RetryPolicy.none();
    private Consumer<LongPollerBuilder> polling = poller -> {};

    private Builder(FakeBotApi fake) {
      this.fake = Objects.requireNonNull(fake, "fake");
    }

    /** Updates run at once (default 10). */
    Builder concurrency(int concurrency) {
      this.concurrency = concurrency;
      return this;
    }

    /** Updates accepted but not yet running (default 100). */
    Builder maxWaiting(int maxWaiting) {
      this.maxWaiting = maxWaiting;
      return this;
    }

    /** Whether the poller deletes a webhook before its first poll (default false). */
    Builder deleteWebhook(boolean deleteWebhook) {
      this.deleteWebhook = deleteWebhook;
      return this;
    }

    /** Installs the test's middleware (default: none). */
    Builder bot(Consumer<Bot> setup) {
      this.setup = Objects.requireNonNull(setup, "setup");
      return this;
    }

    /** The session store (default: memory). */
    Builder store(SessionStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** Where middleware starts (default: worker threads). */
    Builder thread(BotConfig.MiddlewareThread thread) {
      this.thread = Objects.requireNonNull(thread, "thread");
      return this;
    }

    /** How failed Bot API calls are retried (default: not at all). */
    Builder retries(RetryPolicy retries) {
      this.retries = Objects.requireNonNull(retries, "retries");
      return this;
    }

    /** More poller settings (pending updates, poller lock, gaps) on top of the pipeline's. */
    Builder poller(Consumer<LongPollerBuilder> polling) {
      this.polling = Objects.requireNonNull(polling, "polling");
      return this;
    }

    /** The pipeline, not started yet. */
    Pipeline build() {
      return new Pipeline(this);
    }
  }
}
