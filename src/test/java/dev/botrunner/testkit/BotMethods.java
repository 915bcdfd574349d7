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
  private final java.util.concurrent.atomic.AtomicLong fileIds =
      new java.util.concurrent.atomic.AtomicLong();

  private final long botId;

  BotMethods(UpdateQueue updates, Recorder recorder, WebhookState webhook, long botId) {
    this.botId = botId;
    this.updates = updates;
    this.recorder = recorder;
    this.webhook = webhook;
  }

  Reply answer(RecordedCall call) throws InterruptedException {
    JsonNode params = call.params();
    try {
      return switch (call.method().toLowerCase(Locale.ROOT)) {
        case "getme" -> Reply.ok(botUser(botId, true));
        case "getupdates" -> getUpdates(params);
        case "sendmessage" -> sendMessage(call);
        case "sendphoto", "senddocument", "sendaudio", "sendvideo", "sendanimation", "sendvoice" ->
            sendMedia(call);
        case "sendmediagroup" -> sendMediaGroup(call);
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
    return botUser(FakeBotApi.BOT_ID, full);
  }

  static ObjectNode botUser(long id, boolean full) {
    ObjectNode user =
        Json.object()
            .put("id", id)
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
    ObjectNode message =
        Json.object().put("message_id", messageId).set("from", botUser(botId, false));
    message.set("chat", chat(chatId));
    message.put("date", Instant.now().getEpochSecond()).put("text", text);
    JsonNode markup = params.get("reply_markup");
    if (markup != null && markup.has("inline_keyboard")) {
      message.set("reply_markup", markup);
    }
    recorder.sent(chatId, text, messageId, call);
    return Reply.ok(message);
  }

  /** The field of a message that carries each media kind, by method name. */
  private static String mediaField(String method) {
    return method.toLowerCase(Locale.ROOT).substring("send".length());
  }

  private Reply sendMedia(RecordedCall call) {
    Long chatId = chatId(call);
    if (chatId == null) {
      return Reply.badRequest("chat not found");
    }
    String field = mediaField(call.method());
    String fileId = mediaFileId(call, field, call.param(field));
    if (fileId == null) {
      return Reply.badRequest("there is no " + field + " in the request");
    }
    ObjectNode message = mediaMessage(chatId, RequestParams.textParam(call.params(), "caption"));
    message.set(field, media(field, fileId, call.file(field)));
    return Reply.ok(message);
  }

  private Reply sendMediaGroup(RecordedCall call) {
    Long chatId = chatId(call);
    if (chatId == null) {
      return Reply.badRequest("chat not found");
    }
    JsonNode items = call.params().get("media");
    if (items != null && items.isTextual()) {
      items = Json.parse(items.asText());
    }
    if (items == null || !items.isArray() || items.size() < 2 || items.size() > 10) {
      return Reply.badRequest("wrong number of media: must be 2 to 10");
    }
    com.fasterxml.jackson.databind.node.ArrayNode messages = Json.MAPPER.createArrayNode();
    String groupId = Long.toString(fileIds.incrementAndGet());
    for (JsonNode item : items) {
      String type = item.path("type").asText("photo");
      String field = type.equals("photo") ? "photo" : type;
      String media = item.path("media").asText("");
      UploadedFile part = null;
      if (media.startsWith("attach://")) {
        part = call.file(media.substring("attach://".length()));
        if (part == null) {
          return Reply.badRequest("file " + media + " not found in the request");
        }
      }
      String fileId = part == null ? media : "fake-file-" + fileIds.incrementAndGet();
      ObjectNode message = mediaMessage(chatId, item.path("caption").asText(null));
      message.put("media_group_id", groupId);
      message.set(field, media(field, fileId, part));
      messages.add(message);
    }
    return Reply.ok(messages);
  }

  private String mediaFileId(RecordedCall call, String field, String param) {
    if (call.file(field) != null) {
      return "fake-file-" + fileIds.incrementAndGet();
    }
    if (param == null || param.isBlank()) {
      return null;
    }
    if (param.startsWith("attach://")) {
      return call.file(param.substring("attach://".length())) == null
          ? null
          : "fake-file-" + fileIds.incrementAndGet();
    }
    return param; // a file_id or URL, kept as the id
  }

  private static Long chatId(RecordedCall call) {
    String chatParam = call.param("chat_id");
    try {
      return chatParam == null ? null : Long.parseLong(chatParam.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private ObjectNode mediaMessage(long chatId, String caption) {
    int messageId =
        lastMessageId.computeIfAbsent(chatId, k -> new AtomicInteger()).incrementAndGet();
    ObjectNode message =
        Json.object().put("message_id", messageId).set("from", botUser(botId, false));
    message.set("chat", chat(chatId));
    message.put("date", Instant.now().getEpochSecond());
    if (caption != null) {
      message.put("caption", caption);
    }
    return message;
  }

  private static JsonNode media(String field, String fileId, UploadedFile part) {
    ObjectNode file =
        Json.object().put("file_id", fileId).put("file_unique_id", "u" + fileId.hashCode());
    if (part != null) {
      file.put("file_size", part.bytes().length);
    }
    switch (field) {
      case "photo" -> {
        file.put("width", 90).put("height", 90);
        return Json.MAPPER.createArrayNode().add(file);
      }
      case "video", "animation" -> file.put("width", 90).put("height", 90).put("duration", 1);
      case "audio", "voice" -> file.put("duration", 1);
      default -> {
        if (part != null) {
          file.put("file_name", part.filename()).put("mime_type", part.contentType());
        }
      }
    }
    return file;
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
