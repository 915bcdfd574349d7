package dev.botrunner.internal.polling;

import dev.botrunner.Bot;
import dev.botrunner.config.BotConfig;
import dev.botrunner.internal.client.RetryPolicy;
import dev.botrunner.internal.client.TelegramClient;
import dev.botrunner.internal.dispatch.Dispatcher;
import dev.botrunner.internal.dispatch.EventLoopStarts;
import dev.botrunner.internal.dispatch.KeyedSerialScheduler;
import dev.botrunner.internal.dispatch.SessionKeyFunction;
import dev.botrunner.internal.store.MemorySessionStore;
import dev.botrunner.internal.store.SessionStore;
import dev.botrunner.testkit.FakeBotApi;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The real polling pipeline (client, poller, dispatcher, scheduler, middleware, memory sessions)
 * against a fake Bot API, without Quarkus, so a test can pick its own limits and failures.
 */
final class Pipeline implements AutoCloseable {

  final FakeBotApi fake;
  final Vertx vertx = Vertx.vertx();
  final ExecutorService workers = Executors.newCachedThreadPool();
  final TelegramClient api;
  final Bot bot = new Bot();
  final Dispatcher dispatcher;
  final LongPoller poller;

  Pipeline(
      FakeBotApi fake,
      int concurrency,
      int maxWaiting,
      boolean deleteWebhook,
      Consumer<Bot> setup) {
    this(fake, concurrency, maxWaiting, deleteWebhook, setup, new MemorySessionStore());
  }

  Pipeline(
      FakeBotApi fake,
      int concurrency,
      int maxWaiting,
      boolean deleteWebhook,
      Consumer<Bot> setup,
      SessionStore store) {
    this(
        fake,
        concurrency,
        maxWaiting,
        deleteWebhook,
        setup,
        store,
        BotConfig.MiddlewareThread.WORKER);
  }

  Pipeline(
      FakeBotApi fake,
      int concurrency,
      int maxWaiting,
      boolean deleteWebhook,
      Consumer<Bot> setup,
      SessionStore store,
      BotConfig.MiddlewareThread thread) {
    this(fake, concurrency, maxWaiting, deleteWebhook, setup, store, thread, RetryPolicy.none());
  }

  Pipeline(
      FakeBotApi fake,
      int concurrency,
      int maxWaiting,
      boolean deleteWebhook,
      Consumer<Bot> setup,
      SessionStore store,
      BotConfig.MiddlewareThread thread,
      RetryPolicy retries) {
    this.fake = fake;
    this.api =
        new TelegramClient(
            vertx, fake.baseUrl(), fake.token(), 64, Duration.ofSeconds(10), retries);
    setup.accept(bot);
    this.dispatcher =
        new Dispatcher(
            new KeyedSerialScheduler(concurrency),
            new SessionKeyFunction(),
            bot,
            api,
            store,
            thread == BotConfig.MiddlewareThread.WORKER
                ? workers
                : new EventLoopStarts(vertx.getDelegate()),
            null);
    dispatcher.setVertx(vertx.getDelegate());
    this.poller =
        new LongPoller(
            api,
            dispatcher,
            1,
            null,
            deleteWebhook,
            maxWaiting,
            Duration.ofMillis(10),
            Duration.ofMillis(200));
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
}
