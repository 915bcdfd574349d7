package dev.botrunner.testkit;

import dev.botrunner.Bot;
import dev.botrunner.BotSetup;
import dev.botrunner.ErrorHandler;
import dev.botrunner.internal.client.BotJson;
import dev.botrunner.internal.client.TelegramClient;
import dev.botrunner.internal.dispatch.Dispatcher;
import dev.botrunner.internal.dispatch.EventLoopStarts;
import dev.botrunner.internal.dispatch.Outcome;
import dev.botrunner.internal.store.MemorySessionStore;
import dev.botrunner.internal.store.StoredSession;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Runs a bot in-process, without Quarkus or any wiring: hand it updates, and read what the bot sent
 * and what its sessions hold. The bot goes through botrunner's real dispatcher, scheduler,
 * middleware, memory session store and Bot API client; the Bot API is a {@link FakeBotApi} on
 * loopback.
 *
 * <pre>{@code
 * try (BotTester bot = BotTester.of(new MyBot())) {
 *   bot.sendText(42, "hello");
 *   assertEquals(List.of("Got your message. That was number 1"), bot.replies(42));
 *   assertEquals(1, bot.session(42, Visits.class).count);
 * }
 * }</pre>
 *
 * <p>{@link #send} returns once the update has finished: its middleware, every Bot API call it made
 * and its session write. An update that failed (an exception reached the bot's error handler) makes
 * {@code send} throw an {@link AssertionError} carrying the exception; {@link #errors} lists them
 * too. Updates sent one after another run one after another, as for a single chat.
 *
 * <p>Middleware starts on an event loop, as with the runtime's default {@code
 * BOT_MIDDLEWARE_THREAD=event-loop}, so a reactive middleware that blocks (or calls {@code
 * session().get(..)}) fails here as it would in production; {@code Handler}s run on workers.
 */
public final class BotTester implements AutoCloseable {

  /** How long {@link #send} waits for an update before it fails the test. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** Plenty for a test; the runtime's default is higher. */
  private static final int CONCURRENCY = 64;

  /** Connections to the fake Bot API. */
  private static final int API_CONNECTIONS = 16;

  private final FakeBotApi api = FakeBotApi.start();
  private final Vertx vertx = Vertx.vertx();
  private final MemorySessionStore sessions = new MemorySessionStore();
  private final TelegramClient client;
  private final Dispatcher dispatcher;
  private final List<Throwable> errors = new ArrayList<>();
  private final UpdateFactory updates = Updates.sequence(1);
  private Duration timeout = DEFAULT_TIMEOUT;

  private BotTester(List<BotSetup> setups) {
    Bot bot = new Bot();
    setups.forEach(setup -> setup.configure(bot));
    ErrorHandler handler = bot.errorHandler();
    bot.catchError(
        error -> {
          synchronized (errors) {
            errors.add(error.error());
          }
          handler.handle(error);
        });
    client =
        TelegramClient.builder(vertx, api.baseUrl(), FakeBotApi.TOKEN)
            .maxConnections(API_CONNECTIONS)
            .timeout(timeout)
            .build();
    dispatcher =
        Dispatcher.builder(bot)
            .concurrency(CONCURRENCY)
            .api(client)
            .sessions(sessions)
            .workers(new EventLoopStarts(vertx.getDelegate()))
            .build();
    dispatcher.setBotUsername(FakeBotApi.BOT_USERNAME);
    dispatcher.setVertx(vertx.getDelegate());
  }

  /**
   * Starts a tester for a bot made of these setups, applied in the order given.
   *
   * @param setups the bot's setup beans, or lambdas ({@code bot -> bot.on(..)})
   * @return a running tester; close it when done
   */
  public static BotTester of(BotSetup... setups) {
    return new BotTester(List.of(setups));
  }

  /**
   * @param timeout how long {@link #send} waits for one update
   * @return this tester
   */
  public BotTester timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  /**
   * Runs one update through the bot and waits until it has finished.
   *
   * @param update the update, e.g. from {@link Updates} or {@link Fixtures}
   * @return this tester
   * @throws AssertionError if the update failed or did not finish in time
   */
  public BotTester send(Update update) {
    int before = errors().size();
    Outcome outcome;
    try {
      outcome =
          dispatcher
              .dispatch(update)
              .toCompletableFuture()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("update " + update.getUpdateId() + " did not finish in " + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while update " + update.getUpdateId() + " ran", e);
    } catch (ExecutionException e) {
      throw new AssertionError("update " + update.getUpdateId() + " failed", e.getCause());
    }
    if (outcome != Outcome.DONE) {
      List<Throwable> failures = errors();
      Throwable cause = failures.size() > before ? failures.get(failures.size() - 1) : null;
      throw new AssertionError("update " + update.getUpdateId() + " ended " + outcome, cause);
    }
    return this;
  }

  /**
   * Sends a text message from a user in their private chat (chat id = user id).
   *
   * @param chatId the chat, also the sender
   * @param text the message text
   * @return this tester
   */
  public BotTester sendText(long chatId, String text) {
    return send(updates.text(chatId, chatId, text));
  }

  /**
   * Sends a command ({@code /name args}) from a user in their private chat.
   *
   * @param chatId the chat, also the sender
   * @param command the command, with or without {@code /}
   * @param args the text after the command, or {@code null}
   * @return this tester
   */
  public BotTester sendCommand(long chatId, String command, String args) {
    return send(updates.command(chatId, chatId, command, args));
  }

  /**
   * @param chatId a chat
   * @return the texts the bot sent to it with {@code sendMessage}, in order
   */
  public List<String> replies(long chatId) {
    return api.sentMessages(chatId).stream().map(SentMessage::text).toList();
  }

  /**
   * @param chatId a chat (the default session key)
   * @param type the session's class, as the bot reads it
   * @param <T> the session type
   * @return the chat's session as stored now, or {@code null} if it has none
   */
  public <T> T session(long chatId, Class<T> type) {
    StoredSession stored = sessions.read(Long.toString(chatId)).await().atMost(timeout);
    if (stored == null) {
      return null;
    }
    try {
      return BotJson.MAPPER.readValue(stored.json(), type);
    } catch (java.io.IOException e) {
      throw new AssertionError("the session of chat " + chatId + " is not a " + type, e);
    }
  }

  /**
   * @return every exception that reached the bot's error handler so far
   */
  public List<Throwable> errors() {
    synchronized (errors) {
      return List.copyOf(errors);
    }
  }

  /**
   * @return the fake Bot API the bot talks to: script failures and latency, read every call
   */
  public FakeBotApi api() {
    return api;
  }

  @Override
  public void close() {
    dispatcher.close();
    client.close();
    vertx.closeAndAwait();
    api.close();
  }
}
