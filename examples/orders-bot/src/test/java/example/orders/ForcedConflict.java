package example.orders;

import dev.botrunner.Bot;
import dev.botrunner.BotSetup;
import io.quarkus.arc.Arc;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.Priority;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test hook, before the orders bot: for {@code /order clash}, once the bot has placed the order,
 * counted it and replied (all inside its unit of work, not committed yet), another writer bumps the
 * chat's session version on the update's first run only. The unit's session write then conflicts:
 * everything it did must roll back, and with {@code retry} the rerun places the order once.
 */
@Singleton
@Priority(-100)
public class ForcedConflict implements BotSetup {

  /** The item that triggers the conflict. */
  public static final String ITEM = "clash";

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
    bot.use(
        (ctx, next) -> {
          if (!("/order " + ITEM).equals(ctx.text())) {
            return next.proceed();
          }
          int run = RUNS.computeIfAbsent(ctx.updateId(), id -> new AtomicInteger()).incrementAndGet();
          return next.proceed()
              .call(
                  () ->
                      run == 1
                          ? Arc.container()
                              .instance(Pool.class)
                              .get()
                              .preparedQuery(
                                  "UPDATE bot_session SET version = version + 1 WHERE key = $1")
                              .execute(Tuple.of(Long.toString(ctx.chatId())))
                              .replaceWithVoid()
                          : Uni.createFrom().voidItem());
        });
  }
}
