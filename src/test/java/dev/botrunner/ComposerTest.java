package dev.botrunner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.internal.context.UpdateContext;
import dev.botrunner.internal.propagation.OwnPipeline;
import dev.botrunner.internal.store.MemorySessionStore;
import dev.botrunner.internal.store.VersionedSession;
import dev.botrunner.testkit.Fixtures;
import dev.botrunner.testkit.Updates;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

/** The composer routes updates like grammY's: filters, commands, patterns, error boundaries. */
class ComposerTest {

  private final List<String> seen = new CopyOnWriteArrayList<>();

  private BotContext run(Composer composer, Update update) {
    UpdateContext ctx =
        new UpdateContext(
            update,
            null,
            new VersionedSession(SessionKey.of(update), new MemorySessionStore()),
            "fake_bot");
    composer
        .handle(ctx, Next.END)
        .call(() -> OwnPipeline.fromFuture(ctx.settled()))
        .await()
        .indefinitely();
    return ctx;
  }

  @Test
  void commandsMatchWithBotNameAndArguments() {
    Bot bot = new Bot();
    bot.command("start", ctx -> seen.add("start[" + ctx.match() + "]"));
    bot.use(ctx -> seen.add("other"));
    run(bot, Updates.command(1, 1, "start", "payload"));
    run(bot, Fixtures.update("command-start-with-botname.json"));
    run(bot, Updates.text(1, 1, "/start@another_bot"));
    run(bot, Updates.text(1, 1, "hello"));
    assertEquals("start[payload]", seen.get(0));
    assertTrue(seen.get(1).startsWith("start["), seen.get(1));
    assertEquals(List.of("other", "other"), seen.subList(2, 4));
  }

  @Test
  void filterQueriesSelectUpdateKinds() {
    Bot bot = new Bot();
    bot.on("edited_message", ctx -> seen.add("edited"));
    bot.on("message:text", ctx -> seen.add("text"));
    bot.on("callback_query:data", ctx -> seen.add("data"));
    bot.use(ctx -> seen.add("rest"));
    run(bot, Updates.editedText(1, 1, 5, "x"));
    run(bot, Updates.text(1, 1, "x"));
    run(bot, Updates.callbackQuery(1, 1, "d"));
    run(bot, Updates.inlineQuery(1, "q"));
    assertEquals(List.of("edited", "text", "data", "rest"), seen);
  }

  @Test
  void unknownFilterQueriesAreRejectedAtSetup() {
    Bot bot = new Bot();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> bot.on("mesage:text", ctx -> {}));
    assertTrue(e.getMessage().contains("unknown update kind 'mesage'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> bot.on("message:txt", ctx -> {}));
  }

  @Test
  void hearsAndCallbackPatternsExposeTheMatch() {
    Bot bot = new Bot();
    bot.hears(Pattern.compile("order (\\d+)"), ctx -> seen.add("order " + ctx.matcher().group(1)));
    bot.callbackQuery("yes", ctx -> seen.add("yes"));
    bot.callbackQuery(Pattern.compile("^page:(\\d+)$"), ctx -> seen.add(ctx.matcher().group(1)));
    run(bot, Updates.text(1, 1, "my order 42 please"));
    run(bot, Updates.callbackQuery(1, 1, "yes"));
    run(bot, Updates.callbackQuery(1, 1, "page:7"));
    assertEquals(List.of("order 42", "yes", "7"), seen);
  }

  @Test
  void middlewareRunsInOrderAndNextContinuesAfterABranch() {
    Bot bot = new Bot();
    bot.use(
        (ctx, next) -> {
          seen.add("before");
          return next.proceed().invoke(() -> seen.add("after"));
        });
    Composer texts = bot.on("message:text");
    texts.use(
        (ctx, next) -> {
          seen.add("branch");
          return next.proceed();
        });
    bot.use(ctx -> seen.add("end"));
    run(bot, Updates.text(1, 1, "x"));
    assertEquals(List.of("before", "branch", "end", "after"), seen);
  }

  @Test
  void errorBoundaryCatchesItsOwnFailuresOnly() {
    Bot bot = new Bot();
    Composer guarded = bot.errorBoundary(error -> seen.add("caught " + error.error().getMessage()));
    guarded.command(
        "fail",
        ctx -> {
          throw new IllegalStateException("inner");
        });
    guarded.use((ctx, next) -> next.proceed());
    bot.use(
        ctx -> {
          throw new IllegalStateException("outer");
        });
    run(bot, Updates.command(1, 1, "fail", ""));
    assertEquals(List.of("caught inner"), seen);
    IllegalStateException outer =
        assertThrows(IllegalStateException.class, () -> run(bot, Updates.text(1, 1, "x")));
    assertEquals("outer", outer.getMessage());
    assertEquals(1, seen.size(), "the boundary did not catch the downstream failure");
  }

  @Test
  void aThrowingReactiveMiddlewareIsAFailedUpdateNotACrash() {
    Bot bot = new Bot();
    bot.use(
        (Middleware)
            (ctx, next) -> {
              throw new IllegalArgumentException("boom");
            });
    Uni<Void> result =
        bot.handle(
            new UpdateContext(
                Updates.text(1, 1, "x"),
                null,
                new VersionedSession("1", new MemorySessionStore()),
                null),
            Next.END);
    assertThrows(IllegalArgumentException.class, () -> result.await().indefinitely());
  }

  @Test
  void aSecondProceedRunsNothingAndFailsTheUpdateNamingTheMiddleware() {
    Bot bot = new Bot();
    bot.use((ctx, next) -> next.proceed().chain(next::proceed));
    bot.use(ctx -> seen.add("handler"));
    Update update = Updates.text(1, 1, "x");
    IllegalStateException failure =
        assertThrows(IllegalStateException.class, () -> run(bot, update));
    // Named by the line that added it: this test method.
    assertTrue(
        failure
            .getMessage()
            .contains(
                "registered at " + ComposerTest.class.getName() + ".aSecondProceedRunsNothing"),
        failure.getMessage());
    assertTrue(failure.getMessage().contains("a second time"), failure.getMessage());
    assertEquals(List.of("handler"), seen);
  }

  @Test
  void aSecondProceedWhoseResultIsDroppedStillFailsTheUpdate() {
    Bot bot = new Bot();
    bot.use(
        (ctx, next) -> {
          Uni<Void> first = next.proceed();
          next.proceed(); // dropped: the update must fail all the same
          return first;
        });
    bot.use(ctx -> seen.add("handler"));
    assertThrows(IllegalStateException.class, () -> run(bot, Updates.text(1, 1, "x")));
    assertEquals(List.of("handler"), seen);
  }

  @Test
  void aSecondSubscriptionToProceedRunsNothingAndFailsTheUpdate() {
    Bot bot = new Bot();
    bot.use(
        (ctx, next) -> {
          Uni<Void> rest = next.proceed();
          return rest.chain(() -> rest);
        });
    bot.use(ctx -> seen.add("handler"));
    IllegalStateException failure =
        assertThrows(IllegalStateException.class, () -> run(bot, Updates.text(1, 1, "x")));
    assertTrue(failure.getMessage().contains("subscribed a second time"), failure.getMessage());
    assertEquals(List.of("handler"), seen);
  }
}
