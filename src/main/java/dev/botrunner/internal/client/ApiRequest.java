package dev.botrunner.internal.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;

/** One call, encoded: its parameters, and its files already read (multipart only). */
record ApiRequest<T>(
    String method,
    BotApiAnswers.Decoder<T> decoder,
    ObjectNode params,
    boolean multipart,
    List<Multipart.Part> files,
    Duration timeout) {

  ApiRequest<T> onChat(long chatId) {
    ObjectNode moved = params.deepCopy();
    moved.put("chat_id", Long.toString(chatId));
    return new ApiRequest<>(method, decoder, moved, multipart, files, timeout);
  }

  String chatId() {
    JsonNode chat = params.get("chat_id");
    return chat == null || chat.isNull() ? null : chat.asText();
  }
}
