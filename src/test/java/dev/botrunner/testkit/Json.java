package dev.botrunner.testkit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import org.telegram.telegrambots.meta.api.objects.Update;

/** The one mapper of the kit, configured the way Telegram writes and a tolerant client reads. */
final class Json {

  // Telegram omits absent fields rather than sending null, and adds fields over time, so
  // reading must not fail on ones this library version does not know.
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Update toUpdate(JsonNode tree) {
    try {
      return MAPPER.treeToValue(tree, Update.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Not a Telegram Update: " + e.getOriginalMessage(), e);
    }
  }
}
