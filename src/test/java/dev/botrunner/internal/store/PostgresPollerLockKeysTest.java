package dev.botrunner.internal.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.botrunner.internal.config.BotId;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Each bot's poller lock has keys of its own, exactly, for every id below 2^48, and botrunner's
 * other two-key locks (the migration, the claim of unclaimed rows) are outside their range.
 */
class PostgresPollerLockKeysTest {

  private static int[] keys(long id) {
    return PostgresPollerLock.keys(new BotId(id));
  }

  @Test
  void theKeysCarryTheNamespaceAndTheIdsLow48Bits() {
    assertArrayEquals(new int[] {0x6270_0000, 123456789}, keys(123456789L));
    // 7123456789 = 1 * 2^32 + 2828489493: the high part goes to the first key.
    assertArrayEquals(new int[] {0x6270_0001, (int) 2828489493L}, keys(7123456789L));
    assertArrayEquals(new int[] {0x6270_FFFF, -1}, keys((1L << 48) - 1));
  }

  @Test
  void idsThatAgreeOnTheirLow32BitsStillGetDifferentLocks() {
    // A lock keyed by the low 32 bits alone would put these two bots on one lock.
    long a = 2828489493L;
    long b = a + (1L << 32);
    assertEquals((int) a, (int) b);
    assertFalse(Arrays.equals(keys(a), keys(b)));
  }

  @Test
  void theMigrationAndClaimLocksAreNoBotsPollerLock() {
    // A poller lock's first key carries the namespace in its high 16 bits, whatever the bot.
    for (int first :
        new int[] {SchemaMigrations.LOCK_NAMESPACE, UnclaimedRows.CLAIM_LOCK_NAMESPACE}) {
      assertNotEquals(PostgresPollerLock.NAMESPACE, first >>> 16, Integer.toHexString(first));
    }
    assertNotEquals(SchemaMigrations.LOCK_NAMESPACE, UnclaimedRows.CLAIM_LOCK_NAMESPACE);
  }
}
