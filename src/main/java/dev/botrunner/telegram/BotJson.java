package dev.botrunner.telegram;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The one Jackson configuration for Bot API JSON: absent fields are omitted (Telegram treats null
 * and absent differently for some fields) and unknown fields are tolerated, because Telegram adds
 * fields to existing types without notice.
 */
public final class BotJson {

  /** Shared and thread-safe once configured; never reconfigure it after class initialisation. */
  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          .setSerializationInclusion(JsonInclude.Include.NON_NULL)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private BotJson() {}
}
