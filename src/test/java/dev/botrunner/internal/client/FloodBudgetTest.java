package dev.botrunner.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.TelegramApiException;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The retry rule on a virtual clock: a 429 is retried after its {@code retry_after} for as long as
 * the flood budget allows, however many times that takes; 5xx and lost connections stay limited by
 * count, and 429s do not use that count up.
 */
class FloodBudgetTest {

  private static final Duration BUDGET = Duration.ofMinutes(5);
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private final VirtualClock clock = new VirtualClock();
  private final RetryPolicy policy =
      new RetryPolicy(3, Duration.ofSeconds(60), BUDGET, clock, clock);

  /** Answers each attempt with the next scripted failure, then succeeds; records attempt times. */
  private final class ScriptedCall {
    final Deque<Throwable> failures = new ArrayDeque<>();
    final List<Long> attemptsAt = new ArrayList<>();
    final long start = clock.getAsLong();
    Throwable forever;

    Uni<String> attempt() {
      attemptsAt.add(clock.getAsLong() - start);
      Throwable next = failures.isEmpty() ? forever : failures.poll();
      return next == null ? Uni.createFrom().item("sent") : Uni.createFrom().failure(next);
    }

    /** Subscribes, then moves the clock until the call ends or an hour has passed. */
    Outcome run() {
      Outcome outcome = new Outcome();
      policy
          .run(this::attempt)
          .subscribe()
          .with(item -> outcome.item.set(item), failure -> outcome.failure.set(failure));
      for (int s = 0;
          s < 3600 && outcome.item.get() == null && outcome.failure.get() == null;
          s++) {
        clock.advance(SECOND);
      }
      outcome.endedAt = clock.getAsLong() - start;
      return outcome;
    }
  }

  private static final class Outcome {
    final AtomicReference<String> item = new AtomicReference<>();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    long endedAt;
  }

  private static TelegramApiException flood(int retryAfter) {
    return new TelegramApiException(
        "sendMessage", 429, "Too Many Requests: retry after " + retryAfter, retryAfter, null);
  }

  private static TelegramApiException serverError() {
    return new TelegramApiException("sendMessage", 500, "Internal Server Error", null, null);
  }

  @Test
  void sustainedFloodControlIsWaitedOutFarBeyondTheRetryCount() {
    ScriptedCall call = new ScriptedCall();
    for (int i = 0; i < 9; i++) {
      call.failures.add(flood(30));
    }
    Outcome outcome = call.run();
    assertNull(outcome.failure.get());
    assertEquals("sent", outcome.item.get());
    assertEquals(10, call.attemptsAt.size(), "nine 429s, each retried; BOT_API_MAX_RETRIES is 3");
    for (int i = 0; i < call.attemptsAt.size(); i++) {
      assertEquals(i * 30 * SECOND, call.attemptsAt.get(i), "attempt " + i + " after retry_after");
    }
    assertEquals(9, policy.floodWaitCount());
  }

  @Test
  void theBudgetEndsTheRetriesAsSoonAsTheNextWaitWouldOverrunIt() {
    ScriptedCall call = new ScriptedCall();
    call.forever = flood(30);
    Outcome outcome = call.run();
    TelegramApiException e = assertInstanceOf(TelegramApiException.class, outcome.failure.get());
    assertEquals(429, e.errorCode());
    assertTrue(e.getMessage().contains("BOT_API_FLOOD_BUDGET (300 s)"), e.getMessage());
    // Attempts at 0, 30, ..., 300 s: the wait after the one at 300 s would end past the budget.
    assertEquals(11, call.attemptsAt.size());
    assertEquals(300 * SECOND, call.attemptsAt.get(10));
    assertEquals(300 * SECOND, outcome.endedAt, "fails at once, without waiting in vain");
  }

  @Test
  void aWaitThatWouldEndPastTheBudgetIsNotStarted() {
    ScriptedCall call = new ScriptedCall();
    call.failures.add(flood(50));
    call.failures.add(flood(50));
    call.failures.add(flood(50));
    call.failures.add(flood(50));
    call.failures.add(flood(50));
    call.failures.add(flood(60)); // at 250 s: 250 + 60 > 300
    Outcome outcome = call.run();
    assertInstanceOf(TelegramApiException.class, outcome.failure.get());
    assertEquals(6, call.attemptsAt.size());
    assertEquals(250 * SECOND, outcome.endedAt);
  }

  @Test
  void serverErrorsStayLimitedByCountAndFloodWaitsDoNotUseTheCountUp() {
    ScriptedCall mixed = new ScriptedCall();
    for (int i = 0; i < 3; i++) {
      mixed.failures.add(serverError());
      mixed.failures.add(flood(1));
      mixed.failures.add(flood(1));
    }
    Outcome ok = mixed.run();
    assertEquals("sent", ok.item.get(), "three 5xx are within BOT_API_MAX_RETRIES, 429s aside");
    assertEquals(10, mixed.attemptsAt.size());

    ScriptedCall failing = new ScriptedCall();
    failing.forever = serverError();
    Outcome failed = failing.run();
    TelegramApiException e = assertInstanceOf(TelegramApiException.class, failed.failure.get());
    assertEquals(500, e.errorCode());
    assertEquals(4, failing.attemptsAt.size(), "one attempt and three retries");
  }

  @Test
  void aZeroBudgetReportsTheFirst429() {
    RetryPolicy noFloodRetries =
        new RetryPolicy(3, Duration.ofSeconds(60), Duration.ZERO, clock, clock);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    int[] attempts = {0};
    noFloodRetries
        .run(
            () -> {
              attempts[0]++;
              return Uni.createFrom().<String>failure(flood(1));
            })
        .subscribe()
        .with(item -> {}, failure::set);
    clock.advance(10 * SECOND);
    assertEquals(1, attempts[0]);
    assertEquals(429, ((TelegramApiException) failure.get()).errorCode());
    assertEquals(0, clock.pendingTasks());
  }
}
