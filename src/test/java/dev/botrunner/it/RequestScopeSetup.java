package dev.botrunner.it;

import dev.botrunner.Bot;
import dev.botrunner.BotSetup;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only bot for chats {@link #FIRST_CHAT} to {@link #LAST_CHAT}: a {@code @RequestScoped} bean
 * is set by the first middleware and read back wherever the bot's code runs for that update (after
 * a Bot API call, in a blocking handler, after the handler's own hop to a worker, on the event loop
 * through {@code onEventLoop}, in an error handler). The reply lists what each place saw; every
 * place must see its own update's value.
 */
@Singleton
@Priority(-150)
public class RequestScopeSetup implements BotSetup {

  /** First chat id this bot answers. */
  public static final long FIRST_CHAT = 8_700_000;

  /** Last chat id this bot answers. */
  public static final long LAST_CHAT = 8_700_999;

  /** Text that makes the handler fail, so the error handler answers. */
  public static final String FAIL = "fail";

  private static final AtomicInteger DESTROYED = new AtomicInteger();

  /** Threads outside Vert.x and Quarkus, which carry no context of their own. */
  private static final ExecutorService PLAIN_THREADS =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "request-scope-test");
            thread.setDaemon(true);
            return thread;
          });

  /** What the first middleware saw after its hop, by update id. */
  private static final Map<Integer, String> FIRST = new ConcurrentHashMap<>();

  /** What the reactive steps saw, by update id, for the handler's reply. */
  private static final Map<Integer, String> SEEN = new ConcurrentHashMap<>();

  /** One per update, as a request-scoped bean is one per request in a REST method. */
  @RequestScoped
  public static class UpdateTag {
    private String value = "unset";

    String value() {
      return value;
    }

    void set(String value) {
      this.value = value;
    }

    @PreDestroy
    void destroyed() {
      DESTROYED.incrementAndGet();
    }
  }

  @Inject UpdateTag tag;

  /**
   * @return how many {@link UpdateTag}s were destroyed so far
   */
  public static int destroyed() {
    return DESTROYED.get();
  }

  @Override
  public void configure(Bot bot) {
    var mine =
        bot.filter(
            ctx -> ctx.chatId() != null && ctx.chatId() >= FIRST_CHAT && ctx.chatId() <= LAST_CHAT);
    var guarded = mine.errorBoundary(error -> error.ctx().reply("error handler " + tag.value()));
    guarded.use(
        (ctx, next) -> {
          tag.set("u" + ctx.updateId());
          // A random pause off this thread, so updates of other chats interleave with this one.
          // Then a hop to a plain thread, where only context propagation brings the context.
          return Uni.createFrom()
              .voidItem()
              .onItem()
              .delayIt()
              .by(Duration.ofMillis(ThreadLocalRandom.current().nextInt(1, 6)))
              .emitOn(PLAIN_THREADS)
              .invoke(() -> FIRST.put(ctx.updateId(), tag.value()))
              .chain(next::proceed);
        });
    guarded.use(
        (ctx, next) ->
            ctx.api()
                .getMe()
                // Made in a callback of botrunner's call, then run on a plain thread that knows
                // nothing of Vert.x: only the application's context propagation carries it there.
                .chain(
                    me ->
                        Uni.createFrom().item(me).emitOn(PLAIN_THREADS).map(ignored -> tag.value()))
                .chain(
                    afterCall ->
                        ctx.onEventLoop(() -> Uni.createFrom().item(tag::value))
                            .invoke(onLoop -> SEEN.put(ctx.updateId(), afterCall + " " + onLoop)))
                .chain(next::proceed));
    guarded.use(
        ctx -> {
          String blocking = tag.value();
          String afterHop =
              Uni.createFrom()
                  .item(tag::value)
                  .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                  .await()
                  .indefinitely();
          if (FAIL.equals(ctx.text())) {
            throw new IllegalStateException("asked to fail");
          }
          ctx.reply(
              FIRST.remove(ctx.updateId())
                  + " "
                  + SEEN.remove(ctx.updateId())
                  + " "
                  + blocking
                  + " "
                  + afterHop);
        });
  }
}
