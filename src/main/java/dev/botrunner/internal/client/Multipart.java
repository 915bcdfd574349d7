package dev.botrunner.internal.client;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.multipart.MultipartForm;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.telegram.telegrambots.meta.api.objects.InputFile;
import org.telegram.telegrambots.meta.api.objects.media.InputMedia;

/**
 * {@code multipart/form-data} for methods that upload files: which parts a method has, encoded by
 * Vert.x's {@link MultipartForm}. Every parameter becomes a form field (text as is, objects such as
 * {@code reply_markup} or {@code media} as JSON); every new file ({@link InputFile#isNew()} or
 * {@link InputMedia#isNewMedia()}) becomes a file part. A top-level file goes under its parameter
 * name ({@code photo}); a file inside an {@link InputMedia} (media groups, thumbnails of media)
 * goes under its attach name, which the JSON refers to as {@code attach://name}. A {@code file_id}
 * or URL stays a plain text field.
 */
final class Multipart {

  /** A file still to be read: from a {@link File} or an {@link InputStream}. */
  record Pending(String part, String filename, File file, InputStream stream) {}

  /** A file read into memory, ready to be encoded as often as the call is retried. */
  record Part(String name, String filename, String contentType, byte[] bytes) {}

  /**
   * telegrambots-meta annotates the JSON names of its JSON methods, but its multipart methods only
   * in part ({@code photo} is annotated, {@code chatId} is not): Telegram's snake_case is applied
   * to the names left implicit. Explicit names are kept as they are.
   */
  static final ObjectMapper MAPPER =
      BotJson.MAPPER.copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  /** Getters of the multipart method classes that are not Bot API parameters. */
  private static final Set<String> NOT_PARAMETERS = Set.of("method", "file", "file_field");

  private Multipart() {}

  /** Implicit names whose snake_case form is not the Bot API's ({@code SendMediaGroup.medias}). */
  private static final Map<String, String> RENAMED = Map.of("medias", "media");

  /** The method's parameters, by their Bot API names. */
  static ObjectNode params(Object method) {
    ObjectNode params = MAPPER.valueToTree(method);
    params.remove(NOT_PARAMETERS);
    RENAMED.forEach(
        (from, to) -> {
          if (params.has(from) && !params.has(to)) {
            params.set(to, params.remove(from));
          }
        });
    return params;
  }

  /**
   * Finds the new files of a method and removes the top-level ones from {@code params} (they are
   * sent as file parts under the same name).
   */
  static List<Pending> collect(Object method, ObjectNode params) {
    List<Pending> files = new ArrayList<>();
    collect(method, true, params, files, Collections.newSetFromMap(new IdentityHashMap<>()));
    return files;
  }

  private static void collect(
      Object bean, boolean top, ObjectNode params, List<Pending> files, Set<Object> seen) {
    BeanDescription description =
        MAPPER.getSerializationConfig().introspect(MAPPER.constructType(bean.getClass()));
    for (BeanPropertyDefinition property : description.findProperties()) {
      AnnotatedMember accessor = property.getAccessor();
      if (accessor == null || (top && NOT_PARAMETERS.contains(property.getName()))) {
        continue;
      }
      Object value;
      try {
        value = accessor.getValue(bean);
      } catch (RuntimeException e) {
        continue;
      }
      if (value instanceof InputFile file) {
        if (file.isNew() && seen.add(file)) {
          String name = top ? property.getName() : file.getMediaName();
          files.add(
              new Pending(
                  name,
                  filename(file.getMediaName(), file.getNewMediaFile(), name),
                  file.getNewMediaFile(),
                  file.getNewMediaStream()));
          if (top) {
            params.remove(property.getName());
          }
        }
      } else if (value instanceof InputMedia media) {
        collectMedia(media, params, files, seen);
      } else if (value instanceof Collection<?> items) {
        for (Object item : items) {
          if (item instanceof InputMedia media) {
            collectMedia(media, params, files, seen);
          }
        }
      }
    }
  }

  private static void collectMedia(
      InputMedia media, ObjectNode params, List<Pending> files, Set<Object> seen) {
    if (!seen.add(media)) {
      return;
    }
    if (media.isNewMedia()) {
      String name = media.getMediaName();
      files.add(
          new Pending(
              name,
              filename(name, media.getNewMediaFile(), name),
              media.getNewMediaFile(),
              media.getNewMediaStream()));
    }
    collect(media, false, params, files, seen); // thumbnails of videos, documents, ...
  }

  private static String filename(String mediaName, File file, String fallback) {
    if (file != null) {
      return file.getName();
    }
    return mediaName != null && !mediaName.isBlank() ? mediaName : fallback;
  }

  /** Reads every file; blocking, so called on a worker thread. */
  static List<Part> load(List<Pending> files) {
    List<Part> parts = new ArrayList<>(files.size());
    for (Pending p : files) {
      byte[] bytes;
      try {
        if (p.file() != null) {
          bytes = Files.readAllBytes(p.file().toPath());
        } else if (p.stream() != null) {
          bytes = p.stream().readAllBytes();
        } else {
          throw new IllegalArgumentException("file part " + p.part() + " has no content");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the file for " + p.part(), e);
      }
      String type = URLConnection.guessContentTypeFromName(p.filename());
      parts.add(
          new Part(
              p.part(), p.filename(), type == null ? "application/octet-stream" : type, bytes));
    }
    return List.copyOf(parts);
  }

  /**
   * The form of one attempt, for Vert.x's encoder: fields as text, objects as JSON, every file from
   * memory. Built afresh per attempt (a retry sends the same bytes again); from memory, so the
   * encoder, which runs on the event loop, never reads a file there.
   */
  static MultipartForm form(ObjectNode params, List<Part> files) {
    MultipartForm form = MultipartForm.create().setCharset(StandardCharsets.UTF_8);
    Iterator<Map.Entry<String, JsonNode>> fields = params.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode value = field.getValue();
      if (value == null || value.isNull()) {
        continue;
      }
      form.attribute(field.getKey(), value.isValueNode() ? value.asText() : value.toString());
    }
    for (Part part : files) {
      form.binaryFileUpload(
          part.name(), quote(part.filename()), Buffer.buffer(part.bytes()), part.contentType());
    }
    return form;
  }

  /** Netty writes the filename between quotes as it is: a quote or line break would break out. */
  private static String quote(String s) {
    return s.replace("\r", "").replace("\n", "").replace("\"", "%22");
  }
}
