package dev.botrunner;

import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.Context;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Names the middleware that blocks an event loop. Vert.x's own blocked-thread warning names only
 * the thread; this one says which middleware (by the line of the bot's code that registered it) and
 * which update, and what to do about it. Each event-loop thread has a {@link Slot} saying which
 * middleware it is inside right now; a daemon thread looks at the slots every {@link #CHECK_EVERY}
 * and warns when one has been inside the same middleware call for {@link #WARN_AFTER} or more.
 *
 * <p>Only the synchronous part of a middleware's {@code handle} is watched (where blocking calls
 * are usually written); the stack trace in the warning shows the blocked code itself.
 */
final class BlockedLoopWatch {

  private static final Logger LOG = Logger.getLogger(BlockedLoopWatch.class);

  /** How often the slots are looked at. */
  static final Duration CHECK_EVERY = Duration.ofMillis(500);

  /** Vert.x's default {@code max-event-loop-execute-time}: the same rule, with a name attached. */
  static final Duration WARN_AFTER = Duration.ofSeconds(2);

  static final long CHECKS_BEFORE_WARNING = WARN_AFTER.toMillis() / CHECK_EVERY.toMillis();

  private static final List<Slot> SLOTS = new CopyOnWriteArrayList<>();

  private static final FastThreadLocal<Slot> CURRENT =
      new FastThreadLocal<>() {
        @Override
        protected Slot initialValue() {
          Slot slot = new Slot(Thread.currentThread());
          SLOTS.add(slot);
          Checker.start();
          return slot;
        }
      };

  /** Completed rounds of the checker; tests wait on it instead of on time. */
  private static volatile long rounds;

  private BlockedLoopWatch() {}

  /**
   * @return how many times the checker has looked at every slot so far
   */
  static long rounds() {
    return rounds;
  }

  /**
   * Marks the calling event-loop thread as inside a middleware call; a no-op elsewhere (workers may
   * block).
   *
   * @param site where the middleware was registered
   * @param updateId the update it runs for
   * @return the slot to pass to {@link #exit}, or null when not on an event loop
   */
  static Slot enter(String site, int updateId) {
    if (!Context.isOnEventLoopThread()) {
      return null;
    }
    Slot slot = CURRENT.get();
    slot.enter(site, updateId);
    return slot;
  }

  /**
   * Ends what {@link #enter} began.
   *
   * @param slot what {@link #enter} returned
   */
  static void exit(Slot slot) {
    if (slot != null) {
      slot.exit();
    }
  }

  /**
   * One event-loop thread's current middleware call. Written by its thread only; the checker reads
   * the volatile fields.
   */
  static final class Slot {
    private static final int INITIAL_NESTING = 8;

    private final Thread thread;

    /** How deep in nested middleware calls the thread is (next.proceed() inside handle). */
    private int depth;

    /** Changes with every call entered, so the checker tells a long call from many short ones. */
    private volatile long calls;

    private volatile String site;
    private volatile int updateId;
    private volatile boolean inside;

    /** Checker's view: the call count it saw and for how many checks in a row. */
    private long seenCalls = -1;

    private long seenChecks;

    /** The calls this one is nested in, restored on exit. */
    private String[] outerSites = new String[INITIAL_NESTING];

    private int[] outerUpdates = new int[INITIAL_NESTING];

    Slot(Thread thread) {
      this.thread = thread;
    }

    void enter(String site, int updateId) {
      if (depth == outerSites.length) {
        outerSites = Arrays.copyOf(outerSites, depth * 2);
        outerUpdates = Arrays.copyOf(outerUpdates, depth * 2);
      }
      outerSites[depth] = this.site;
      outerUpdates[depth] = this.updateId;
      depth++;
      this.site = site;
      this.updateId = updateId;
      calls = calls + 1;
      inside = true;
    }

    void exit() {
      depth--;
      site = outerSites[depth];
      updateId = outerUpdates[depth];
      outerSites[depth] = null;
      inside = depth > 0;
    }
  }

  /** The daemon thread that looks at the slots; started with the first slot. */
  private static final class Checker {
    private static final Object LOCK = new Object();
    private static ScheduledExecutorService timer;

    static void start() {
      synchronized (LOCK) {
        if (timer != null) {
          return;
        }
        timer =
            Executors.newSingleThreadScheduledExecutor(
                task -> {
                  Thread thread = new Thread(task, "botrunner-blocked-loop-check");
                  thread.setDaemon(true);
                  return thread;
                });
        timer.scheduleWithFixedDelay(
            Checker::check, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
      }
    }

    private static void check() {
      for (Slot slot : SLOTS) {
        try {
          check(slot);
        } catch (RuntimeException e) {
          LOG.debug("checking an event loop failed", e);
        }
      }
      rounds = rounds + 1; // one writer: the checker thread
    }

    private static void check(Slot slot) {
      long calls = slot.calls;
      if (!slot.inside || calls != slot.seenCalls) {
        slot.seenCalls = calls;
        slot.seenChecks = 0;
        return;
      }
      slot.seenChecks++;
      // Warn once per blocked call, when it crosses the limit; the stack shows where it is stuck.
      if (slot.seenChecks == CHECKS_BEFORE_WARNING) {
        Blocked where = new Blocked(slot.thread.getName());
        where.setStackTrace(slot.thread.getStackTrace());
        LOG.warnf(
            where,
            "middleware registered at %s has blocked event loop %s for %d ms or more (update %d):"
                + " move the blocking code into a Handler (a one-argument lambda, run on a"
                + " worker) or set BOT_MIDDLEWARE_THREAD=worker",
            slot.site,
            slot.thread.getName(),
            slot.seenChecks * CHECK_EVERY.toMillis(),
            slot.updateId);
      }
    }
  }

  /** Carries the blocked thread's stack into the warning. */
  private static final class Blocked extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Blocked(String thread) {
      super("stack of " + thread + " while blocked", null, false, true);
    }
  }
}
