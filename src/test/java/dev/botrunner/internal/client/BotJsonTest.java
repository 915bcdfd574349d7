package dev.botrunner.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.util.RecyclerPool;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;

/** The Bot API mapper's buffers are shared between threads, not made once per thread. */
class BotJsonTest {

  private static final int THREADS = 50;

  @Test
  void shortLivedThreadsReuseTheSameBuffers() throws Exception {
    RecyclerPool<?> pool = BotJson.MAPPER.getFactory()._getRecyclerPool();
    int before = pool.pooledCount();
    // Jackson's default pool keeps one set per thread and cannot count them (-1).
    assertTrue(before >= 0, "the pool counts what it holds: " + before);
    AtomicReference<String> json = new AtomicReference<>();
    for (int i = 0; i < THREADS; i++) {
      // One thread after another, as one virtual thread per update: each finds the set the
      // previous one gave back, so the pool never grows.
      Thread thread =
          new Thread(
              () -> {
                try {
                  json.set(BotJson.MAPPER.writeValueAsString(new SendMessage("42", "hi")));
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      thread.start();
      thread.join();
    }
    assertEquals("{\"chat_id\":\"42\",\"text\":\"hi\",\"method\":\"sendmessage\"}", json.get());
    assertTrue(
        pool.pooledCount() <= Math.max(before, 1),
        "buffer sets after " + THREADS + " threads: " + pool.pooledCount() + ", before: " + before);
  }
}
