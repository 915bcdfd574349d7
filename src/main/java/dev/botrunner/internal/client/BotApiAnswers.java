package dev.botrunner.internal.client;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.type.TypeFactory;
import dev.botrunner.TelegramApiException;
import dev.botrunner.TelegramTransportException;
import dev.botrunner.internal.logging.TokenRedactor;
import io.vertx.mutiny.core.buffer.Buffer;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import org.telegram.telegrambots.meta.api.methods.botapimethods.BotApiMethodBoolean;
import org.telegram.telegrambots.meta.api.methods.botapimethods.BotApiMethodMessage;
import org.telegram.telegrambots.meta.api.methods.botapimethods.PartialBotApiMethod;
import org.telegram.telegrambots.meta.api.methods.updates.GetUpdates;
import org.telegram.telegrambots.meta.api.objects.ApiResponse;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;

/**
 * Turns a Bot API answer into a result or into the right exception: {@link TelegramApiException}
 * for {@code ok:false}, {@link TelegramTransportException} for a body that is not a Bot API answer.
 */
final class BotApiAnswers {

  private BotApiAnswers() {}

  /** Decodes a successful answer's body. */
  @FunctionalInterface
  interface Decoder<T> {
    T decode(Buffer body) throws TelegramApiRequestException;
  }

  /**
   * The {@code ApiResponse<R>} type of the methods sent on every update (sendMessage and its kin,
   * the Boolean methods, getUpdates), or null. Those are read from the answer's bytes with one
   * shared mapper; the library's own decoder wants a String and builds the type on every call,
   * which cost 10 % of the CPU per update (docs/benchmarks-history.md). Only classes that keep the
   * library's decoding as it is qualify.
   */
  private static final ClassValue<JavaType> FAST_TYPES =
      new ClassValue<>() {
        @Override
        protected JavaType computeValue(Class<?> type) {
          TypeFactory types = BotJson.MAPPER.getTypeFactory();
          JavaType result;
          if (type == GetUpdates.class) {
            result = types.constructCollectionType(ArrayList.class, Update.class);
          } else if (decodesAsDeclaredIn(type, BotApiMethodMessage.class)) {
            result = types.constructType(Message.class);
          } else if (decodesAsDeclaredIn(type, BotApiMethodBoolean.class)) {
            result = types.constructType(Boolean.class);
          } else {
            return null;
          }
          return types.constructParametricType(ApiResponse.class, result);
        }
      };

  private static boolean decodesAsDeclaredIn(Class<?> type, Class<?> base) {
    if (!base.isAssignableFrom(type)) {
      return false;
    }
    try {
      return type.getMethod("deserializeResponse", String.class).getDeclaringClass() == base;
    } catch (NoSuchMethodException | SecurityException e) {
      return false;
    }
  }

  static <T extends Serializable> Decoder<T> decoderOf(PartialBotApiMethod<T> method) {
    JavaType fast = FAST_TYPES.get(method.getClass());
    if (fast == null) {
      return body -> method.deserializeResponse(body.toString(StandardCharsets.UTF_8));
    }
    if (method instanceof GetUpdates) {
      return body -> readUpdates(body, fast);
    }
    return body -> readResult(body, fast);
  }

  /** Its own frame, so that a profile tells decoding updates from decoding answers. */
  private static <T> T readUpdates(Buffer body, JavaType type) throws TelegramApiRequestException {
    return readResult(body, type);
  }

  /** Same outcome as the library's decoder, from the bytes. */
  private static <T> T readResult(Buffer body, JavaType type) throws TelegramApiRequestException {
    ApiResponse<T> response;
    try {
      response = BotJson.MAPPER.readValue(body.getBytes(), type);
    } catch (IOException e) {
      throw new TelegramApiRequestException("Unable to deserialize response", e);
    }
    if (response == null) {
      throw new TelegramApiRequestException("Empty response");
    }
    if (!Boolean.TRUE.equals(response.getOk())) {
      throw new TelegramApiRequestException("Error sending request", response);
    }
    return response.getResult();
  }

  /**
   * A decoder that only checks that the answer is well-formed JSON saying {@code ok:true} (a scan
   * of its tokens, nothing built) and leaves {@code full} to {@link LazyResult#get()}. Any other
   * answer goes through {@code full} at once, so failures are the same as with {@code full}.
   */
  static <T> Decoder<LazyResult<T>> lazily(String name, Decoder<T> full, TokenRedactor redactor) {
    return body -> {
      if (saysOk(body)) {
        return new LazyResult<>(() -> decodeOk(name, full, body, redactor));
      }
      return LazyResult.of(full.decode(body));
    };
  }

  /** A decoder that only checks that the answer says {@code ok:true}. */
  static Decoder<Boolean> okOnly(String name) {
    return body -> {
      if (saysOk(body)) {
        return Boolean.TRUE;
      }
      throw new TelegramApiRequestException(name + ": the answer does not say ok");
    };
  }

  /** True for a well-formed JSON object whose top-level {@code ok} is {@code true}. */
  static boolean saysOk(Buffer body) {
    try (JsonParser parser = BotJson.MAPPER.getFactory().createParser(body.getBytes())) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      boolean ok = false;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        boolean okField = "ok".equals(parser.currentName());
        JsonToken value = parser.nextToken();
        if (okField) {
          ok = value == JsonToken.VALUE_TRUE;
        }
        parser.skipChildren();
      }
      return ok && parser.currentToken() == JsonToken.END_OBJECT && parser.nextToken() == null;
    } catch (IOException e) {
      return false;
    }
  }

  static <T> T decode(
      ApiRequest<T> request, BotApiTransport.Answer answer, TokenRedactor redactor) {
    Buffer body = answer.body() == null ? Buffer.buffer() : answer.body();
    if (answer.status() == 200) {
      return decodeOk(request.method(), request.decoder(), body, redactor);
    }
    throw errorFrom(
        request.method(), answer.status(), body.toString(StandardCharsets.UTF_8), redactor);
  }

  /** An HTTP 200 answer: its result, or the exception that the answer's body calls for. */
  private static <T> T decodeOk(
      String name, Decoder<T> decoder, Buffer body, TokenRedactor redactor) {
    try {
      return decoder.decode(body);
    } catch (TelegramApiRequestException e) {
      String text = body.toString(StandardCharsets.UTF_8);
      if (saysOk(text)) {
        // A well-formed success that we could not read into its type: the call happened (a
        // message went out), so it is not a transport failure to retry; the description says why
        // it could not be read, or the log shows a retry loop without a cause (in a native image,
        // an unregistered Bot API type).
        throw new TelegramApiException(name, 200, redactor.redact(undecodable(e)), null, null);
      }
      if (e.getErrorCode() == null) {
        throw new TelegramTransportException(
            name, redactor.redact("the answer is not a Bot API response (" + cause(e) + ")"));
      }
      // ok:false with HTTP 200 does not happen with Telegram, but a proxy or a local Bot API
      // server might do it; the error fields are in the body either way.
      throw errorFrom(name, 200, text, redactor);
    }
  }

  private static boolean saysOk(String text) {
    try {
      return BotJson.MAPPER.readTree(text).path("ok").asBoolean(false);
    } catch (IOException e) {
      return false;
    }
  }

  /** Why an answer with {@code ok:true} could not be read: the type, the field, the exception. */
  static String undecodable(TelegramApiRequestException e) {
    Throwable cause = e.getCause();
    if (cause instanceof JsonMappingException mapping) {
      return "the answer says ok, but botrunner could not decode its result at "
          + mapping.getPathReference()
          + ": "
          + mapping.getClass().getSimpleName()
          + ": "
          + mapping.getOriginalMessage();
    }
    if (cause != null) {
      return "the answer says ok, but botrunner could not decode its result: " + cause(e);
    }
    return "the answer says ok, but botrunner read it as not ok ("
        + e.getMessage()
        + "); in a native executable, the Bot API types may be missing their reflection"
        + " registration (TelegramReflectionFeature, from botrunner's native-image.properties)";
  }

  /** The innermost cause's class and message; answers hold no token, requests do. */
  private static String cause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  private static RuntimeException errorFrom(
      String method, int status, String text, TokenRedactor redactor) {
    JsonNode root;
    try {
      root = BotJson.MAPPER.readTree(text);
    } catch (IOException e) {
      root = null;
    }
    if (root == null || !root.has("ok")) {
      return new TelegramTransportException(
          method, "HTTP " + status + " with a body that is not a Bot API response");
    }
    JsonNode parameters = root.path("parameters");
    return new TelegramApiException(
        method,
        root.path("error_code").asInt(status),
        redactor.redact(root.path("description").asText("")),
        parameters.has("retry_after") ? parameters.get("retry_after").asInt() : null,
        parameters.has("migrate_to_chat_id")
            ? parameters.get("migrate_to_chat_id").asLong()
            : null);
  }
}
