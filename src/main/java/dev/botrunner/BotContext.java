package dev.botrunner;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import org.telegram.telegrambots.meta.api.objects.CallbackQuery;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.api.objects.chat.Chat;
import org.telegram.telegrambots.meta.api.objects.message.Message;

/**
 * Everything a middleware needs about one update: the update and shortcuts into it, the Bot API
 * client, the session, and what a filter matched.
 *
 * <p>Calls made through {@link #reply} or {@link #track} start at once, run one after another in
 * the order they were made, and the update is finished only when all of them are: so a blocking
 * handler may call {@code ctx.reply("hi")} without waiting, and the next update of the chat still
 * starts after the reply was delivered.
 */
public abstract class BotContext {

  private final Update update;
  private final String botUsername;
  private String match;
  private Matcher matcher;
  private Throwable failure;

  /**
   * For the runtime's implementation (and a test's own): bot code receives its context.
   *
   * @param update the update being handled
   * @param botUsername the bot's username without '@', or null if not known yet
   */
  protected BotContext(Update update, String botUsername) {
    this.update = update;
    this.botUsername = botUsername;
  }

  /**
   * @return the update
   */
  public Update update() {
    return update;
  }

  /**
   * @return the update id
   */
  public int updateId() {
    return update.getUpdateId();
  }

  /**
   * @return the message of any message-like update (new, edited, channel post), or null
   */
  public Message message() {
    return UpdateView.message(update);
  }

  /**
   * @return the chat the update belongs to, or null
   */
  public Chat chat() {
    return UpdateView.chat(update);
  }

  /**
   * @return the chat id, or null
   */
  public Long chatId() {
    Chat chat = chat();
    return chat == null ? null : chat.getId();
  }

  /**
   * @return the user who caused the update, or null
   */
  public User from() {
    return UpdateView.from(update);
  }

  /**
   * @return the text (or caption) of the message, or null
   */
  public String text() {
    Message message = message();
    if (message == null) {
      return null;
    }
    return message.getText() != null ? message.getText() : message.getCaption();
  }

  /**
   * @return the callback query, or null
   */
  public CallbackQuery callbackQuery() {
    return update.getCallbackQuery();
  }

  /**
   * @return the Bot API client
   */
  public abstract BotApi api();

  /**
   * @return the session of this update's chat (read lazily)
   */
  public abstract Session session();

  /**
   * @return the bot's username, or null if not known
   */
  public String botUsername() {
    return botUsername;
  }

  /**
   * What the last filter matched: a command's arguments, or the whole match of a pattern.
   *
   * @return the match, or null
   */
  public String match() {
    return match;
  }

  /**
   * @return the regex matcher of the last {@code hears} or callback pattern, or null
   */
  public Matcher matcher() {
    return matcher;
  }

  void setMatch(String match, Matcher matcher) {
    this.match = match;
    this.matcher = matcher;
  }

  /**
   * Sends a text message to this update's chat; shortcut for {@code
   * track(api().sendMessage(chatId(), text))}.
   *
   * @param text the message text
   * @return the sent message; the call has already started
   * @throws IllegalStateException when the update has no chat
   */
  public abstract Uni<Message> reply(String text);

  /**
   * Starts a call now, after the previous tracked calls of this update, and makes the update wait
   * for it. Use it for any Bot API call whose result the handler need not wait for.
   *
   * @param call a lazy call, such as {@code ctx.api().call(method)}
   * @param <T> the result type
   * @return the result; subscribing to it does not start the call again
   */
  public abstract <T> Uni<T> track(Uni<T> call);

  /**
   * Runs reactive code that must run on a Vert.x event loop, such as Hibernate Reactive Panache:
   * {@code ctx.onEventLoop(() -> Panache.withTransaction(() -> order.persist()))}. The code runs in
   * a safe Vert.x duplicated context of this update's own (the same one for every call of this
   * update), so a Panache session or transaction never leaks into another update. Works with both
   * {@code BOT_MIDDLEWARE_THREAD} settings: with {@code worker}, the middleware goes on on a worker
   * thread afterwards, so it may still block; a blocking {@link Handler} may wait for the result
   * with {@code .await().indefinitely()}.
   *
   * @param work supplies the reactive code; called once, on the event loop
   * @param <T> the result type
   * @return the code's result, delivered lazily: nothing runs until it is subscribed to
   */
  public abstract <T> Uni<T> onEventLoop(Supplier<Uni<T>> work);

  /**
   * Runs the bot's SQL in this update's unit of work: one PostgreSQL transaction that also holds
   * botrunner's session write (with its version check) and the mark that the update was processed,
   * so the bot's writes, the session and the mark commit together at the update's end, or none of
   * them does. The first call opens the transaction; later calls of the same update join it; it
   * commits after the middleware has finished. A session conflict rolls everything back and {@code
   * BOT_SESSION_ON_CONFLICT} applies ({@code retry} reruns the middleware in a fresh unit); a
   * failed update rolls it back too.
   *
   * <p>From the first call on, the update's Bot API calls ({@link #reply}, {@link #api()}) go into
   * the unit's outbox, in the same transaction, and are sent only after the commit (at least once:
   * a process killed after the commit leaves them to another process or the next start); their
   * {@code Uni}s yield {@code null} at once. Files cannot be sent from inside a unit. Needs the
   * PostgreSQL session store; example: {@code ctx.transaction(conn -> conn.preparedQuery("INSERT
   * INTO vote (chat, choice) VALUES ($1, $2)").execute(Tuple.of(chat, choice)))}. A blocking
   * handler may wait with {@code .await().indefinitely()}.
   *
   * @param work the bot's statements on the transaction's connection; called once, on the update's
   *     Vert.x event loop
   * @param <T> the result type
   * @return the work's result, delivered lazily: nothing runs until it is subscribed to
   */
  public <T> Uni<T> transaction(Function<SqlConnection, Uni<T>> work) {
    return Uni.createFrom()
        .failure(new UnsupportedOperationException("this context has no unit of work"));
  }

  /**
   * Runs the bot's Hibernate Reactive Panache code in this update's unit of work, as {@link
   * #transaction(Function)} does with SQL: {@code ctx.transaction(() -> order.persist())}. The code
   * runs on the update's own Vert.x context in one Panache transaction, which botrunner's session
   * write, the processed mark and the outbox join; nested {@code Panache.withTransaction} calls
   * join it too. Needs {@code quarkus-hibernate-reactive-panache} in the application. One unit is
   * either SQL or Panache.
   *
   * @param work the bot's Panache code; called on the update's Vert.x event loop
   * @param <T> the result type
   * @return the work's result, delivered lazily: nothing runs until it is subscribed to
   */
  public <T> Uni<T> transaction(Supplier<Uni<T>> work) {
    return Uni.createFrom()
        .failure(new UnsupportedOperationException("this context has no unit of work"));
  }

  /**
   * Runs a piece of the bot's code for this update (the start of a middleware, a blocking handler,
   * an error handler) in the update's scope on the calling thread. The runtime's context makes the
   * update's own CDI request context active around it, so {@code @RequestScoped} beans work in bot
   * code as in a Quarkus REST method; this default, for contexts made by tests, runs it as it is.
   *
   * @param code the bot's code
   * @param <T> its result type
   * @return its result
   */
  protected <T> T inUpdateScope(Supplier<T> code) {
    return code.get();
  }

  /**
   * Where this update's blocking {@link Handler}s run when they are reached on an event loop. The
   * runtime's context gives the executor chosen by {@code BOT_BLOCKING_THREADS} (virtual threads,
   * or a platform pool as large as {@code BOT_CONCURRENCY}); this default, for contexts made by
   * tests, is Mutiny's worker pool (Quarkus's, in a Quarkus application).
   *
   * @return the executor of blocking handlers
   */
  protected Executor blockingExecutor() {
    return Infrastructure.getDefaultWorkerPool();
  }

  /**
   * Runs a blocking handler's body: where it is when the caller is not an event loop, else on
   * {@link #blockingExecutor()}. The runtime's context does it without Mutiny operators, so that
   * context propagation has nothing of botrunner's own to wrap ({@link #inUpdateScope} gives the
   * body the update's request context); this default, for contexts made by tests, is Mutiny's
   * {@code Uni.createFrom().item(body)}, moved with {@code runSubscriptionOn} from an event loop.
   *
   * @param body the handler's code, already in the update's scope
   * @return completes when the body has returned, fails with what it threw
   */
  protected Uni<Void> runBlocking(Supplier<Void> body) {
    Uni<Void> call = Uni.createFrom().item(body);
    return Context.isOnEventLoopThread() ? call.runSubscriptionOn(blockingExecutor()) : call;
  }

  /**
   * The {@code Uni} of a piece of the bot's reactive code for this update (a middleware), assembled
   * and subscribed in the update's scope, so that its callbacks see the update's request context
   * where context propagation carries it. This default, for contexts made by tests, is {@code
   * Uni.createFrom().deferred(code)}.
   *
   * @param code supplies the bot's pipeline; called at each subscription
   * @param <T> the item type
   * @return the pipeline
   */
  protected <T> Uni<T> subscribeInUpdateScope(Supplier<Uni<T>> code) {
    return Uni.createFrom().deferred(code::get);
  }

  /**
   * Fails the update at its end unless it already failed otherwise: a tracked call that failed, or
   * a broken middleware contract.
   *
   * @param failure the failure, or null for none
   */
  protected final synchronized void recordFailure(Throwable failure) {
    if (failure != null && this.failure == null) {
      this.failure = failure;
    }
  }

  /**
   * @return the first failure recorded with {@link #recordFailure}, or null
   */
  protected final synchronized Throwable recordedFailure() {
    return failure;
  }
}
