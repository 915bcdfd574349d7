package dev.botrunner.update;

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
    int otherCount = 500;
    List<Long> completions = new CopyOnWriteArrayList<>();
    CountDownLatch all = new CountDownLatch(hotCount + otherCount);
    try (FakeBotApi fake = FakeBotApi.start()) {
      List<Update> updates = new ArrayList<>();
      for (int i = 0; i < hotCount; i++) {
        updates.add(Updates.text(HOT, HOT, "hot " + i));
      }
      for (int i = 0; i < otherCount; i++) {
        long chat = 100 + i % 100;
        updates.add(Updates.text(chat, chat, "other " + i));
      }
      fake.enqueue(updates);
      try (Pipeline pipeline =
          new Pipeline(
              fake,
              10,
              5000,
              false,
              bot ->
                  bot.use(
                      ctx -> {
                        if (ctx.chatId() == HOT) {
                          Thread.sleep(5);
                        }
                        completions.add(ctx.chatId());
                        all.countDown();
                      }))) {
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
    assertTrue(
        hotDoneBeforeLastOther < hotCount,
        "the other chats finished only after the hot chat: " + hotDoneBeforeLastOther);
    // Far from the end, not merely before it: the others never queued behind the hot chat.
    assertTrue(
        hotDoneBeforeLastOther < hotCount / 2,
        "the hot chat had done " + hotDoneBeforeLastOther + " before the others were through");
  }
}
