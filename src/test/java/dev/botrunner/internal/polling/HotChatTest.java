package dev.botrunner.internal.polling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.Updates;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * One busy chat must not hold up the others: its waiting updates hold no slot, and the poller keeps
 * fetching for the other chats while they wait (grammY's sequentialize holds slots here).
 */
class HotChatTest {

  private static final long HOT = 1;

  @Test
  void otherChatsFinishWhileTheHotChatIsStillBusy() throws Exception {
    int hotCount = 500;
    int otherCount = hotCount;
    List<Long> completions = new CopyOnWriteArrayList<>();
    CountDownLatch all = new CountDownLatch(hotCount + otherCount);
    // The hot chat's first update holds its turn until every other chat is done (or a guard time
    // passes). If waiting updates held slots, the others could never finish and the order of
    // completions would show it.
    CountDownLatch othersDone = new CountDownLatch(otherCount);
    try (FakeBotApi fake = FakeBotApi.start()) {
      List<Update> updates = new ArrayList<>();
      // Interleaved as they would arrive: a slot-holding scheduler fills all its slots with the
      // hot chat's waiting updates here and the other chats stall behind them.
      for (int i = 0; i < hotCount; i++) {
        updates.add(Updates.text(HOT, HOT, "hot " + i));
        long chat = 100 + i % 100;
        updates.add(Updates.text(chat, chat, "other " + i));
      }
      fake.enqueue(updates);
      try (Pipeline pipeline =
          Pipeline.with(fake)
              .maxWaiting(5000)
              .bot(
                  bot ->
                      bot.use(
                          ctx -> {
                            if (ctx.chatId() == HOT) {
                              othersDone.await(30, TimeUnit.SECONDS);
                            }
                            completions.add(ctx.chatId());
                            if (ctx.chatId() != HOT) {
                              othersDone.countDown();
                            }
                            all.countDown();
                          }))
              .build()) {
        pipeline.start();
        assertTrue(all.await(120, TimeUnit.SECONDS), "all updates handled (deadlock guard)");
      }
    }
    assertEquals(hotCount + otherCount, completions.size());
    int lastOther = -1;
    int hotDoneBeforeLastOther = 0;
    for (int i = 0; i < completions.size(); i++) {
      if (completions.get(i) != HOT) {
        lastOther = i;
      }
    }
    for (int i = 0; i < lastOther; i++) {
      if (completions.get(i) == HOT) {
        hotDoneBeforeLastOther++;
      }
    }
    assertEquals(
        0,
        hotDoneBeforeLastOther,
        "hot-chat updates completed before the other chats were through");
  }
}
