package dev.botrunner.internal.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with jitter, for one sequence of attempts (not thread-safe): after n
 * consecutive failures the delay is drawn from [d/2, d] with d = min(max, min * 2^(n-1)), so that
 * replicas restarted together do not retry in lockstep.
 */
public final class Backoff {

  /** Doublings counted at most: the shift stays clear of overflow; {@code max} caps far sooner. */
  private static final int MAX_DOUBLINGS = 30;

  private final Duration min;
  private final Duration max;
  private int failures;

  /**
   * @param min the first delay
   * @param max the largest delay
   */
  public Backoff(Duration min, Duration max) {
    this.min = min;
    this.max = max;
  }

  /**
   * Records a failure.
   *
   * @return how long to wait before the next attempt
   */
  public Duration next() {
    failures = Math.min(failures + 1, MAX_DOUBLINGS);
    long ceiling = Math.min(max.toMillis(), min.toMillis() * (1L << (failures - 1)));
    long floor = ceiling / 2;
    return Duration.ofMillis(floor + ThreadLocalRandom.current().nextLong(ceiling - floor + 1));
  }

  /** Forgets past failures after a success. */
  public void reset() {
    failures = 0;
  }

  /**
   * @return consecutive failures so far
   */
  public int failures() {
    return failures;
  }
}
