package dev.botrunner.internal.polling;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.Bot;
import dev.botrunner.internal.dispatch.Dispatcher;
import dev.botrunner.testkit.Updates;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the loop does after waiting for room is a step like any other. */
class FetchStepTest {

  @Test
  void aFailureAfterWaitingForRoomReachesTheLoopsFailureHandler() throws Exception {
    Bot bot = new Bot();
    bot.use(ctx -> {});
    Dispatcher dispatcher = Dispatcher.builder(bot).concurrency(1).workers(Runnable::run).build();
    CompletableFuture<Throwable> reported = new CompletableFuture<>();
    OffsetWindow window = new OffsetWindow();
    FetchStep fetch =
        new FetchStep(
            null,
            1,
            null,
            new FetchCapacity(dispatcher, 0, 0), // no room: the step waits for a release
            window,
            new Spill(window),
            new PollSteps(reported::complete));
    IllegalStateException bug = new IllegalStateException("bug in the loop's next step");

    fetch.run(
        () -> {
          throw bug;
        },
        updates -> {});
    assertTrue(fetch.waitingForCapacity());
    dispatcher.dispatch(Updates.text(1, 1, "frees a slot")); // its end is the release

    assertSame(bug, reported.get(30, TimeUnit.SECONDS), "the failure was not lost");
  }
}
