package dev.botrunner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.botrunner.testkit.Fixtures;
import dev.botrunner.testkit.UpdateFactory;
import dev.botrunner.testkit.Updates;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * UpdateView, which reads an update's chat and sender by its {@link UpdateKind}, finds the same
 * ones as the chain of null checks it replaced ({@link UpdateViewChain}), for every kind.
 */
class UpdateViewTest {

  /** Kinds whose object has a chat, and kinds whose object has a sender. */
  private static final Set<UpdateKind> WITH_CHAT =
      EnumSet.complementOf(
          EnumSet.of(
              UpdateKind.INLINE_QUERY,
              UpdateKind.CHOSEN_INLINE_RESULT,
              UpdateKind.SHIPPING_QUERY,
              UpdateKind.PRE_CHECKOUT_QUERY,
              UpdateKind.POLL));

  private static final Set<UpdateKind> WITH_FROM =
      EnumSet.complementOf(
          EnumSet.of(
              UpdateKind.MESSAGE_REACTION_COUNT,
              UpdateKind.CHAT_BOOST,
              UpdateKind.REMOVED_CHAT_BOOST,
              UpdateKind.POLL));

  @Test
  void everyKindResolvesChatAndSenderAsTheChainDid() {
    for (UpdateKind kind : UpdateKind.values()) {
      Update update = Updates.fromJson(everyField(kind));
      assertSame(kind, UpdateKind.kindOf(update), kind + " parsed into its own field");
      sameAsTheChain(kind.toString(), update);
      if (WITH_CHAT.contains(kind)) {
        assertEquals(-100L, UpdateView.chat(update).getId(), kind + " chat");
      } else {
        assertNull(UpdateView.chat(update), kind + " has no chat");
      }
      if (WITH_FROM.contains(kind)) {
        assertEquals(7L, UpdateView.from(update).getId(), kind + " sender");
      } else {
        assertNull(UpdateView.from(update), kind + " has no sender");
      }
      assertEquals(kind.carriesMessage(), UpdateView.message(update) != null, kind + " message");
    }
    sameAsTheChain("no known field", new Update());
  }

  @Test
  void theTestKitsShapesResolveAsTheChainDid() {
    UpdateFactory factory = Updates.sequence(1);
    List<Update> shapes = new ArrayList<>();
    shapes.add(factory.text(-5, 3, "hi"));
    shapes.add(factory.text(3, 3, "private"));
    shapes.add(factory.command(3, 3, "start", "x"));
    shapes.add(factory.editedText(3, 3, 1, "edited"));
    shapes.add(factory.callbackQuery(-5, 3, "data"));
    shapes.add(factory.inlineQuery(3, "q"));
    shapes.add(factory.chatMember(-5, 3, "left", "member"));
    shapes.add(factory.myChatMember(-5, 3, "member", "administrator"));
    for (Update update : shapes) {
      assertNotNull(UpdateView.from(update), update.toString());
      sameAsTheChain(String.valueOf(UpdateKind.kindOf(update)), update);
    }
    for (String name : Fixtures.NAMES) {
      sameAsTheChain(name, Fixtures.update(name));
    }
  }

  private static void sameAsTheChain(String what, Update update) {
    assertSame(UpdateViewChain.message(update), UpdateView.message(update), what + " message");
    assertSame(UpdateViewChain.chat(update), UpdateView.chat(update), what + " chat");
    assertSame(UpdateViewChain.from(update), UpdateView.from(update), what + " from");
  }

  /**
   * An update of {@code kind} whose object has every field any kind keeps its chat or sender in
   * (Jackson ignores those its type lacks): chat -100, sender 7.
   */
  private static String everyField(UpdateKind kind) {
    String chat = "{\"id\":-100,\"type\":\"supergroup\",\"title\":\"g\"}";
    String user = "{\"id\":7,\"is_bot\":false,\"first_name\":\"U\"}";
    String message =
        "{\"message_id\":1,\"date\":1,\"chat\":" + chat + ",\"from\":" + user + ",\"text\":\"t\"}";
    String object =
        kind.carriesMessage()
            ? message
            : "{\"id\":\"1\",\"chat\":"
                + chat
                + ",\"voter_chat\":"
                + chat
                + ",\"from\":"
                + user
                + ",\"user\":"
                + user
                + ",\"message\":"
                + message
                + ",\"date\":1,\"query\":\"q\",\"offset\":\"\",\"result_id\":\"r\""
                + ",\"question\":\"p\",\"options\":[],\"option_ids\":[]}";
    return "{\"update_id\":1,\"" + kind.fieldName() + "\":" + object + "}";
  }
}
