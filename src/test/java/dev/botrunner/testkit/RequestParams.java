package dev.botrunner.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the three ways the Bot API accepts parameters (JSON body, urlencoded form, query string)
 * into one JSON object, so the rest of the fake reads parameters the same way whatever the client
 * chose.
 */
final class RequestParams {

  /** The parameters and the body as received; {@code error} is set when the body was unreadable. */
  record Parsed(ObjectNode params, String rawBody, List<UploadedFile> files, String error) {}

  private RequestParams() {}

  static Parsed read(HttpExchange exchange) throws IOException {
    byte[] bytes;
    try (InputStream in = exchange.getRequestBody()) {
      bytes = in.readAllBytes();
    }
    String rawBody = new String(bytes, StandardCharsets.UTF_8);
    List<UploadedFile> files = new ArrayList<>();
    ObjectNode params = Json.object();
    addForm(params, exchange.getRequestURI().getRawQuery());
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    String type = contentType == null ? "" : contentType.toLowerCase();
    String error = null;
    if (type.startsWith("application/x-www-form-urlencoded")) {
      addForm(params, rawBody);
    } else if (type.startsWith("multipart/form-data")) {
      error = MultipartParser.parse(contentType, bytes, params, files);
    } else if (type.startsWith("application/json") || rawBody.stripLeading().startsWith("{")) {
      if (!rawBody.isBlank()) {
        try {
          JsonNode body = Json.parse(rawBody);
          if (body.isObject()) {
            params.setAll((ObjectNode) body);
          } else {
            error = "parameters must be a JSON object";
          }
        } catch (IllegalArgumentException e) {
          error = "can't parse JSON body";
        }
      }
    }
    // Anything else stays available as rawBody only.
    return new Parsed(params, rawBody, List.copyOf(files), error);
  }

  private static void addForm(ObjectNode params, String encoded) {
    if (encoded == null || encoded.isEmpty()) {
      return;
    }
    for (String pair : encoded.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      params.put(key, value);
    }
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** A whole number given as a JSON number or as text (form and query values are text). */
  static Long longParam(JsonNode params, String name) {
    JsonNode node = params.get(name);
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    String text = node.asText().trim();
    if (text.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new BadParameter(name);
    }
  }

  static String textParam(JsonNode params, String name) {
    JsonNode node = params.get(name);
    return node == null || node.isNull() ? null : node.asText();
  }

  /** A list of strings given as a JSON array, or as the JSON text of one (form encoding). */
  static List<String> stringList(JsonNode params, String name) {
    JsonNode node = params.get(name);
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isTextual()) {
      try {
        node = Json.parse(node.asText());
      } catch (IllegalArgumentException e) {
        throw new BadParameter(name);
      }
    }
    if (!node.isArray()) {
      throw new BadParameter(name);
    }
    List<String> values = new ArrayList<>();
    node.forEach(item -> values.add(item.asText()));
    return List.copyOf(values);
  }

  /** A parameter of the wrong shape; the fake answers it with a 400 like Telegram does. */
  static final class BadParameter extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadParameter(String name) {
      super("Bad Request: invalid " + name, null, false, false);
    }
  }
}
