package dev.botrunner.internal.client;

import dev.botrunner.internal.config.StartupValidation;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Prepares the Bot API JSON mapper ({@link BotJson#prepare()}) while the rest of startup runs (the
 * schema migration, the sources' setup), on a thread of its own, and holds the end of startup until
 * it is done: so the first update never builds Jackson's readers on an event loop, and on two cores
 * the work overlaps startup's waits instead of adding to them.
 */
@Singleton
class JsonPreparation {

  private static final Logger LOG = Logger.getLogger(JsonPreparation.class);

  private final CompletableFuture<Void> prepared = new CompletableFuture<>();

  void begin(@Observes @Priority(StartupValidation.PRIORITY - 1) StartupEvent event) {
    Thread thread =
        new Thread(
            () -> {
              long start = System.nanoTime();
              try {
                BotJson.prepare();
                LOG.debugf(
                    "Bot API JSON readers prepared in %d ms",
                    (System.nanoTime() - start) / 1_000_000);
              } catch (RuntimeException e) {
                // Not fatal: the first update builds what is missing, as it would have anyway.
                LOG.warn("preparing the Bot API JSON readers failed", e);
              } finally {
                prepared.complete(null);
              }
            },
            "botrunner-json-preparation");
    thread.setDaemon(true);
    thread.start();
  }

  void end(@Observes @Priority(StartupValidation.PRIORITY + 1000) StartupEvent event) {
    prepared.join();
  }
}
