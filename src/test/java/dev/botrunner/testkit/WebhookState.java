package dev.botrunner.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The little webhook configuration Telegram keeps per bot; it decides whether getUpdates works. */
final class WebhookState {

  private String url = "";
  private String secretToken;
  private List<String> allowedUpdates;
  private Integer maxConnections;

  synchronized void set(
      String url, String secretToken, List<String> allowedUpdates, Integer maxConnections) {
    this.url = url == null ? "" : url;
    this.secretToken = secretToken;
    this.allowedUpdates = allowedUpdates;
    this.maxConnections = maxConnections;
  }

  synchronized void delete() {
    set("", null, null, null);
  }

  synchronized boolean active() {
    return !url.isEmpty();
  }

  synchronized String url() {
    return url;
  }

  synchronized String secretToken() {
    return secretToken;
  }

  synchronized ObjectNode info(int pendingUpdateCount) {
    ObjectNode info =
        Json.object()
            .put("url", url)
            .put("has_custom_certificate", false)
            .put("pending_update_count", pendingUpdateCount);
    if (active()) {
      info.put("max_connections", maxConnections == null ? 40 : maxConnections);
    }
    if (allowedUpdates != null) {
      allowedUpdates.forEach(info.putArray("allowed_updates")::add);
    }
    return info;
  }
}
