package dev.botrunner.internal.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.type.TypeFactory;
import java.util.ArrayList;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.objects.ApiResponse;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.message.Message;

/**
 * The one Jackson configuration for Bot API JSON: absent fields are omitted (Telegram treats null
 * and absent differently for some fields) and unknown fields are tolerated, because Telegram adds
 * fields to existing types without notice.
 *
 * <p>Its buffers come from a pool of its own rather than Jackson's default, one set per thread:
 * blocking handlers run on virtual threads, one per update, so a per-thread set was allocated anew
 * (with a soft reference for the collector to process) for every reply a handler sent.
 */
public final class BotJson {

  /** Shared and thread-safe once configured; never reconfigure it after class initialisation. */
  public static final ObjectMapper MAPPER =
      new ObjectMapper(
              JsonFactory.builder()
                  .recyclerPool(JsonRecyclerPools.newConcurrentDequePool())
                  .build())
          .setSerializationInclusion(JsonInclude.Include.NON_NULL)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private BotJson() {}

  /**
   * Builds the readers and writers of the types met on every update (the update itself, the answers
   * to getUpdates, sendMessage and the Boolean methods, a sendMessage request) in the shared
   * mapper's caches. Jackson builds them on first use, and for telegrambots-meta's type graph that
   * takes hundreds of milliseconds on a cold JVM (seconds on a busy 2-core pod): done at startup,
   * it is never paid by the first update, nor on an event loop.
   */
  public static void prepare() {
    TypeFactory types = MAPPER.getTypeFactory();
    MAPPER.readerFor(Update.class);
    MAPPER.readerFor(
        types.constructParametricType(
            ApiResponse.class, types.constructCollectionType(ArrayList.class, Update.class)));
    MAPPER.readerFor(types.constructParametricType(ApiResponse.class, Message.class));
    MAPPER.readerFor(types.constructParametricType(ApiResponse.class, Boolean.class));
    MAPPER.writerFor(SendMessage.class);
  }
}
