package dev.botrunner.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.botrunner.internal.config.BotId;
import dev.botrunner.internal.store.PostgresPendingUpdates;
import dev.botrunner.testkit.Updates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * The statements behind fetching each update once: a whole batch saved in one statement (rows
 * already saved are left as they are), and many finished rows removed in one, each bot its own.
 */
class PendingBatchTest {

  @RegisterExtension static final TestDatabase DB = new TestDatabase(4);

  private static final Duration AWAIT = Duration.ofSeconds(10);
  private static final BotId OTHER =
      BotId.ofToken("7123456789:AAOtherTestTokn-not_real-9876543210");

  private PostgresPendingUpdates pending;

  @BeforeEach
  void setUp() {
    DB.sql("DELETE FROM bot_pending_update");
    pending = new PostgresPendingUpdates(DB.pool(), TestDatabase.BOT);
  }

  private static List<Update> updates(int first, int count) {
    return Updates.sequence(first).textsOverChats(count, 1, 10);
  }

  private static List<Integer> ids(List<Update> updates) {
    return updates.stream().map(Update::getUpdateId).toList();
  }

  @Test
  void aBatchIsSavedWholeAndASecondSaveOfItKeepsTheFirst() {
    List<Update> batch = updates(1_000, 100);
    pending.save(batch).await().atMost(AWAIT);
    List<Update> again = new ArrayList<>(updates(1_050, 60)); // 50 saved already, 10 new
    pending.save(again).await().atMost(AWAIT);

    List<Update> loaded = pending.loadAll().await().atMost(AWAIT);
    assertEquals(IntStream.range(1_000, 1_110).boxed().toList(), ids(loaded));
    assertEquals("m0", loaded.get(0).getMessage().getText(), "the data survives the round trip");
  }

  @Test
  void removeAllDeletesTheGivenRowsOfThisBotOnly() {
    pending.save(updates(2_000, 10)).await().atMost(AWAIT);
    PostgresPendingUpdates other = new PostgresPendingUpdates(DB.pool(), OTHER);
    other.save(updates(2_000, 10)).await().atMost(AWAIT);

    pending.removeAll(List.of(2_001, 2_003, 2_005, 9_999)).await().atMost(AWAIT);
    pending.removeAll(List.of()).await().atMost(AWAIT);

    assertEquals(
        List.of(2_000, 2_002, 2_004, 2_006, 2_007, 2_008, 2_009),
        ids(pending.loadAll().await().atMost(AWAIT)));
    assertEquals(10, other.loadAll().await().atMost(AWAIT).size(), "the other bot's rows stay");
  }
}
