package dev.botrunner.internal.polling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.botrunner.testkit.FakeBotApi;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The poller's state changes only under its lock: a rejected token arriving while another thread
 * stops the poller cannot overwrite STOPPED with UNAUTHORIZED.
 */
class LongPollerStateLockTest {

  private static final long GUARD_NANOS = TimeUnit.SECONDS.toNanos(30);
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  @Test
  void aRejectedTokenWaitsForTheLockAndDoesNotUndoAStop() throws Exception {
    try (FakeBotApi fake = FakeBotApi.start();
        Pipeline pipeline = Pipeline.with(fake).build()) {
      LongPoller poller = pipeline.poller;
      pipeline.start();
      assertTrue(fake.awaitCalls("getUpdates", 1, Duration.ofSeconds(30)), "polling");
      synchronized (poller) {
        fake.revokeToken(); // the next getUpdates is answered 401
        long deadline = System.nanoTime() + GUARD_NANOS;
        while (!blockedOn(poller)) {
          if (poller.state() != PollerState.POLLING) {
            fail("the state changed to " + poller.state() + " while the poller's lock was held");
          }
          if (System.nanoTime() > deadline) {
            fail("the 401 never reached the poller");
          }
          LockSupport.parkNanos(POLL_NANOS);
        }
        // The failure path waits for the lock: stop now, between its check and its change.
        poller.stop();
      }
      long deadline = System.nanoTime() + GUARD_NANOS;
      while (blockedOn(poller) && System.nanoTime() < deadline) {
        LockSupport.parkNanos(POLL_NANOS);
      }
      synchronized (poller) {
        assertEquals(PollerState.STOPPED, poller.state(), "the stop was not overwritten");
      }
    }
  }

  /** Whether some thread waits to enter {@code monitor}'s synchronized sections. */
  private static boolean blockedOn(Object monitor) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    int id = System.identityHashCode(monitor);
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null
          && info.getThreadState() == Thread.State.BLOCKED
          && info.getLockInfo() != null
          && info.getLockInfo().getIdentityHashCode() == id) {
        return true;
      }
    }
    return false;
  }
}
