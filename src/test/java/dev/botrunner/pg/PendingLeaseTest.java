package dev.botrunner.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.internal.store.PostgresPendingUpdates;
import dev.botrunner.testkit.Updates;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * The rule that keeps webhook replicas on one database from taking each other's saved updates: a
 * row is claimed only when its owner's lease ended, by one claimer, and a renewal keeps it.
 */
class PendingLeaseTest {

  @RegisterExtension static final TestDatabase DB = new TestDatabase(4);

  private static final Duration LONG = Duration.ofHours(1);
  private static final Duration AWAIT = Duration.ofSeconds(10);

  private PostgresPendingUpdates pending;

  @BeforeEach
  void setUp() {
    DB.sql("DELETE FROM bot_pending_update");
    pending = new PostgresPendingUpdates(DB.pool(), TestDatabase.BOT);
  }

  private static Update update(int id) {
    return Updates.sequence(id).text(1, 1, "u" + id);
  }

  private static List<Integer> ids(List<Update> updates) {
    return updates.stream().map(Update::getUpdateId).toList();
  }

  @Test
  void aLiveOwnersRowIsNotClaimed() {
    pending.hold(update(10), "live", LONG).await().atMost(AWAIT);
    assertEquals(List.of(), pending.claimExpired("other", LONG).await().atMost(AWAIT));
    assertEquals(1, DB.rows("bot_pending_update"));
  }

  @Test
  void anEndedLeaseIsClaimedOnceWithANewLease() {
    pending.hold(update(11), "dead", LONG).await().atMost(AWAIT);
    pending.release("dead").await().atMost(AWAIT); // as if the lease had run out
    assertEquals(List.of(11), ids(pending.claimExpired("next", LONG).await().atMost(AWAIT)));
    // Now the claimer's: nobody else gets it, not even the old owner.
    assertEquals(List.of(), pending.claimExpired("third", LONG).await().atMost(AWAIT));
    assertEquals(List.of(), pending.claimExpired("dead", LONG).await().atMost(AWAIT));
  }

  @Test
  void aRenewalKeepsTheRow() {
    pending.hold(update(12), "live", Duration.ZERO).await().atMost(AWAIT);
    pending.renew("live", LONG).await().atMost(AWAIT);
    assertEquals(List.of(), pending.claimExpired("other", LONG).await().atMost(AWAIT));
  }

  @Test
  void anotherOwnersRenewalDoesNotTouchTheRow() {
    pending.hold(update(13), "dead", LONG).await().atMost(AWAIT);
    pending.release("dead").await().atMost(AWAIT);
    pending.renew("live", LONG).await().atMost(AWAIT);
    assertEquals(List.of(13), ids(pending.claimExpired("live", LONG).await().atMost(AWAIT)));
  }

  @Test
  void aSpilledRowIsClaimedOnlyOnceOlderThanTheLease() {
    pending.save(List.of(update(14))).await().atMost(AWAIT);
    assertEquals(List.of(), pending.claimExpired("webhook", LONG).await().atMost(AWAIT));
    DB.sql("UPDATE bot_pending_update SET received_at = now() - interval '2 hours'");
    assertEquals(List.of(14), ids(pending.claimExpired("webhook", LONG).await().atMost(AWAIT)));
  }

  @Test
  void claimedRowsComeLowestIdFirstAndRemoveDeletesThem() {
    for (int id : new int[] {23, 21, 22}) {
      pending.hold(update(id), "dead", LONG).await().atMost(AWAIT);
    }
    pending.release("dead").await().atMost(AWAIT);
    List<Update> claimed = pending.claimExpired("next", LONG).await().atMost(AWAIT);
    assertEquals(List.of(21, 22, 23), ids(claimed));
    for (Update u : claimed) {
      pending.remove(u.getUpdateId()).await().atMost(AWAIT);
    }
    assertTrue(DB.rows("bot_pending_update") == 0);
  }
}
