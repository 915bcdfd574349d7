package dev.botrunner.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The fake's normal (unscripted) answers, one per Bot API method it knows. */
final class BotMethods {

  static final String WEBHOOK_CONFLICT =
      "Conflict: can't use getUpdates method while webhook is active;"
          + " use deleteWebhook to delete the webhook first";

  private final UpdateQueue updates;
  private final Recorder recorder;
  private final WebhookState webhook;
  private final Map<Long, AtomicInteger> lastMessageId = new ConcurrentHashMap<>();

  BotMethods(UpdateQueue updates, Recorder recorder, WebhookState webhook) {
    this.updates = updates;
    this.recorder = recorder;
    this.webhook = webhook;
  }

  Reply answer(RecordedCall call) throws InterruptedException {
    JsonNode params = call.params();
    try {
      return switch (call.method().toLowerCase(Locale.ROOT)) {
        case "getme" -> Reply.ok(botUser(true));
        case "getupdates" -> getUpdates(params);
        case "sendmessage" -> sendMessage(call);
        case "setwebhook" -> setWebhook(params);
        case "deletewebhook" -> deleteWebhook(params);
        case "getwebhookinfo" -> Reply.ok(webhook.info(updates.size()));
        default -> Reply.okTrue(null);
      };
    } catch (RequestParams.BadParameter e) {
      return Reply.error(400, e.getMessage());
    }
  }

  static ObjectNode botUser(boolean full) {
    ObjectNode user =
        Json.object()
            .put("id", FakeBotApi.BOT_ID)
            .put("is_bot", true)
            .put("first_name", FakeBotApi.BOT_FIRST_NAME)
            .put("username", FakeBotApi.BOT_USERNAME);
    if (full) {
      // Only getMe carries these; a message's "from" does not.
      user.put("can_join_groups", true)
          .put("can_read_all_group_messages", false)
          .put("supports_inline_queries", false);
    }
    return user;
  }

  /** The chat object Telegram would attach for an id, guessing the type from the id's shape. */
  static ObjectNode chat(long chatId) {
    ObjectNode chat = Json.object().put("id", chatId);
    if (chatId > 0) {
      return chat.put("type", "private").put("first_name", "User" + chatId);
    }
    // Supergroup and channel ids are -100 followed by the internal id; basic groups are not.
    boolean supergroup = chatId <= -1_000_000_000_000L;
    return chat.put("type", supergroup ? "supergroup" : "group").put("title", "Chat " + chatId);
  }

  private Reply getUpdates(JsonNode params) throws InterruptedException {
    if (webhook.active()) {
      return Reply.error(409, WEBHOOK_CONFLICT);
    }
    Long offset = RequestParams.longParam(params, "offset");
    Long limit = RequestParams.longParam(params, "limit");
    Long timeout = RequestParams.longParam(params, "timeout");
    RequestParams.stringList(params, "allowed_updates"); // validated here, kept in the recording
    // Telegram accepts 1..100 and quietly treats anything else as the nearest bound (0 as 100).
    int max = limit == null || limit == 0 ? 100 : (int) Math.max(1, Math.min(100, limit));
    return Reply.ok(updates.poll(offset, max, timeout == null ? 0 : timeout));
  }

  private Reply sendMessage(RecordedCall call) {
    JsonNode params = call.params();
    String chatParam = call.param("chat_id");
    if (chatParam == null || chatParam.isBlank()) {
      return Reply.badRequest("chat_id is empty");
    }
    long chatId;
    try {
      chatId = Long.parseLong(chatParam.trim());
    } catch (NumberFormatException e) {
      // "@channelusername" targets exist, but the fake knows no channels by name.
      return Reply.badRequest("chat not found");
    }
    String text = RequestParams.textParam(params, "text");
    if (text == null || text.isBlank()) {
      return Reply.badRequest("message text is empty");
    }
    if (text.codePointCount(0, text.length()) > 4096) {
      return Reply.badRequest("message is too long");
    }
    int messageId =
        lastMessageId.computeIfAbsent(chatId, k -> new AtomicInteger()).incrementAndGet();
    ObjectNode message = Json.object().put("message_id", messageId).set("from", botUser(false));
    message.set("chat", chat(chatId));
    message.put("date", Instant.now().getEpochSecond()).put("text", text);
    JsonNode markup = params.get("reply_markup");
    if (markup != null && markup.has("inline_keyboard")) {
      message.set("reply_markup", markup);
    }
    recorder.sent(chatId, text, messageId, call);
    return Reply.ok(message);
  }

  private Reply setWebhook(JsonNode params) {
    String url = RequestParams.textParam(params, "url");
    if (url == null) {
      return Reply.badRequest("bad webhook: An HTTPS URL must be provided for webhook");
    }
    List<String> allowed = RequestParams.stringList(params, "allowed_updates");
    Long maxConnections = RequestParams.longParam(params, "max_connections");
    if (Boolean.parseBoolean(RequestParams.textParam(params, "drop_pending_updates"))) {
      updates.clear();
    }
    webhook.set(
        url,
        RequestParams.textParam(params, "secret_token"),
        allowed,
        maxConnections == null ? null : maxConnections.intValue());
    return Reply.okTrue(url.isEmpty() ? "Webhook was deleted" : "Webhook was set");
  }

  private Reply deleteWebhook(JsonNode params) {
    boolean wasActive = webhook.active();
    if (Boolean.parseBoolean(RequestParams.textParam(params, "drop_pending_updates"))) {
      updates.clear();
    }
    webhook.delete();
    return Reply.okTrue(wasActive ? "Webhook was deleted" : "Webhook is already deleted");
  }
}
