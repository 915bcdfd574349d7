package dev.botrunner.it;

import dev.botrunner.Bot;
import dev.botrunner.BotContext;
import dev.botrunner.BotSetup;
import dev.botrunner.example.Counter;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.Priority;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only bot for chats {@link #FIRST_CHAT} to {@link #LAST_CHAT}: each update inserts a row into
 * {@code unit_it_order} in its unit of work ({@code ctx.transaction}), counts it in the session and
 * replies. "/order" is reactive middleware, "/border" a blocking handler; "/clash" has another
 * writer bump the session's version on its first run, so its unit conflicts and is rolled back.
 * Only the PostgreSQL profiles reach it with a unit; the table is created by the tests.
 */
@Singleton
@Priority(-140)
public class UnitOfWorkSetup implements BotSetup {

  /** First chat id this bot answers. */
  public static final long FIRST_CHAT = 6_600_000;

  /** Last chat id this bot answers. */
  public static final long LAST_CHAT = 6_600_999;

  /** The bot's own table. */
  public static final String TABLE =
      "CREATE TABLE IF NOT EXISTS unit_it_order (update_id bigint, chat bigint, item text)";

  private static final Map<Integer, AtomicInteger> RUNS = new ConcurrentHashMap<>();

  /**
   * @param updateId an update
   * @return how often its middleware ran
   */
  public static int runs(int updateId) {
    AtomicInteger runs = RUNS.get(updateId);
    return runs == null ? 0 : runs.get();
  }

  @Override
  public void configure(Bot bot) {
    var mine =
        bot.filter(
            ctx -> ctx.chatId() != null && ctx.chatId() >= FIRST_CHAT && ctx.chatId() <= LAST_CHAT);
    mine.command(
        "order",
        (ctx, next) ->
            insert(ctx)
                .chain(() -> ctx.session().load(Counter.class, Counter::new))
                .invoke(counter -> ctx.reply("Ordered " + ctx.match() + " #" + ++counter.count))
                .replaceWithVoid());
    mine.command(
        "border",
        ctx -> {
          insert(ctx).await().indefinitely();
          Counter counter = ctx.session().get(Counter.class, Counter::new);
          ctx.reply("Ordered " + ctx.match() + " #" + ++counter.count);
        });
    mine.command(
        "clash",
        (ctx, next) ->
            insert(ctx)
                .chain(() -> ctx.session().load(Counter.class, Counter::new))
                .call(
                    counter ->
                        runs(ctx.updateId()) == 1
                            ? bumpElsewhere(ctx)
                            : Uni.createFrom().voidItem())
                .invoke(counter -> ctx.reply("Ordered " + ctx.match() + " #" + ++counter.count))
                .replaceWithVoid());
  }

  private static Uni<Void> insert(BotContext ctx) {
    RUNS.computeIfAbsent(ctx.updateId(), id -> new AtomicInteger()).incrementAndGet();
    return ctx.transaction(
        conn ->
            conn.preparedQuery(
                    "INSERT INTO unit_it_order (update_id, chat, item) VALUES ($1, $2, $3)")
                .execute(Tuple.of((long) ctx.updateId(), ctx.chatId(), ctx.match().strip()))
                .replaceWithVoid());
  }

  /** Another writer: a connection of the application's pool, outside the update's unit. */
  private static Uni<Void> bumpElsewhere(BotContext ctx) {
    return io.quarkus.arc.Arc.container()
        .instance(io.vertx.mutiny.sqlclient.Pool.class)
        .get()
        .preparedQuery("UPDATE bot_session SET version = version + 1 WHERE key = $1")
        .execute(Tuple.of(Long.toString(ctx.chatId())))
        .replaceWithVoid();
  }
}
