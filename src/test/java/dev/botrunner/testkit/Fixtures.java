package dev.botrunner.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Realistic update JSON captured in the shape Telegram sends, stored as {@code
 * dev/botrunner/testkit/fixtures/<name>.json} in the kit.
 *
 * <pre>{@code
 * api.enqueueJson(Fixtures.json("unknown-update-type"));
 * Update start = Fixtures.update("command-start");
 * }</pre>
 */
public final class Fixtures {

  /** Every fixture shipped with the kit, by name. */
  public static final List<String> NAMES =
      List.of(
          "message-text",
          "command-start",
          "command-start-with-botname",
          "callback-query",
          "edited-message",
          "inline-query",
          "chat-member",
          "unknown-update-type",
          "group-message");

  private Fixtures() {}

  /**
   * Returns a fixture's JSON text.
   *
   * @param name the fixture name, with or without {@code .json}
   * @return the JSON, exactly as stored
   * @throws IllegalArgumentException if there is no such fixture
   */
  public static String json(String name) {
    String file = name.endsWith(".json") ? name : name + ".json";
    try (InputStream in = Fixtures.class.getResourceAsStream("fixtures/" + file)) {
      if (in == null) {
        throw new IllegalArgumentException("No fixture " + file + "; known: " + NAMES);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Returns a fixture parsed into an {@link Update}, ignoring fields the library does not know.
   *
   * @param name the fixture name, with or without {@code .json}
   * @return the parsed update
   */
  public static Update update(String name) {
    return Updates.fromJson(json(name));
  }
}
