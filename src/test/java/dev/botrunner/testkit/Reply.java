package dev.botrunner.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/** One HTTP answer of the fake, already shaped the way the Bot API shapes it. */
record Reply(int status, String contentType, byte[] body) {

  private static final String JSON = "application/json";

  static Reply ok(JsonNode result) {
    ObjectNode envelope = Json.object().put("ok", true);
    envelope.set("result", result);
    return json(200, envelope);
  }

  static Reply okTrue(String description) {
    ObjectNode envelope = Json.object().put("ok", true).put("result", true);
    if (description != null) {
      envelope.put("description", description);
    }
    return json(200, envelope);
  }

  static Reply error(int code, String description) {
    return error(code, description, null);
  }

  /** {@code parameters} is Telegram's ResponseParameters object, or null. */
  static Reply error(int code, String description, ObjectNode parameters) {
    ObjectNode envelope =
        Json.object().put("ok", false).put("error_code", code).put("description", description);
    if (parameters != null) {
      envelope.set("parameters", parameters);
    }
    return json(code, envelope);
  }

  static Reply unauthorized() {
    return error(401, "Unauthorized");
  }

  static Reply badRequest(String what) {
    return error(400, "Bad Request: " + what);
  }

  // A real 502 comes from Telegram's front proxy, not the Bot API, so it is HTML, not JSON;
  // clients must survive a body they cannot parse.
  static Reply badGateway() {
    String html =
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
            + "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
            + "</body>\r\n</html>\r\n";
    return new Reply(502, "text/html", html.getBytes(StandardCharsets.UTF_8));
  }

  private static Reply json(int status, ObjectNode envelope) {
    return new Reply(status, JSON, Json.write(envelope).getBytes(StandardCharsets.UTF_8));
  }
}
