package dev.botrunner.update;

import io.smallrye.mutiny.Uni;
import java.util.List;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Where the polling loop keeps updates that it confirms to Telegram before they have finished (a
 * "spill", see {@link LongPoller}). A durable implementation keeps at-least-once delivery for them:
 * they are saved before the offset passes them, removed when they finish, and re-dispatched at the
 * next start. The memory implementation keeps nothing: a crash loses spilled updates.
 */
public interface PendingUpdates {

  /** Keeps nothing: spilled updates live only in this process's memory. */
  PendingUpdates MEMORY =
      new PendingUpdates() {
        @Override
        public boolean durable() {
          return false;
        }

        @Override
        public Uni<Void> save(List<Update> updates) {
          return Uni.createFrom().voidItem();
        }

        @Override
        public Uni<Void> remove(int updateId) {
          return Uni.createFrom().voidItem();
        }

        @Override
        public Uni<List<Update>> loadAll() {
          return Uni.createFrom().item(List.of());
        }
      };

  /**
   * @return whether saved updates survive a crash of this process
   */
  boolean durable();

  /**
   * @param updates updates about to be confirmed to Telegram before they finished
   * @return completes when they are stored
   */
  Uni<Void> save(List<Update> updates);

  /**
   * @param updateId a saved update that finished
   * @return completion
   */
  Uni<Void> remove(int updateId);

  /**
   * @return every saved update, oldest first (left by an earlier process)
   */
  Uni<List<Update>> loadAll();
}
