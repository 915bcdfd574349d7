package dev.botrunner.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

class UpdatesFixturesTest {

  private static final Map<String, Predicate<Update>> KIND =
      Map.of(
          "message-text", Update::hasMessage,
          "command-start", u -> u.hasMessage() && u.getMessage().getEntities() != null,
          "command-start-with-botname", Update::hasMessage,
          "callback-query", Update::hasCallbackQuery,
          "edited-message", Update::hasEditedMessage,
          "inline-query", Update::hasInlineQuery,
          "chat-member", Update::hasChatMember,
          "unknown-update-type", u -> !u.hasMessage() && !u.hasCallbackQuery(),
          "group-message", u -> u.hasMessage() && u.getMessage().getChat().isGroupChat());

  @Test
  void everyFixtureParsesIntoTheExpectedKind() {
    assertEquals(KIND.keySet(), Set.copyOf(Fixtures.NAMES));
    for (String name : Fixtures.NAMES) {
      Update update = Fixtures.update(name);
      assertNotNull(update.getUpdateId(), name);
      assertTrue(KIND.get(name).test(update), name + " is not the expected kind");
    }
  }

  @Test
  void commandWithBotNameHasTheWholeCommandAsEntity() {
    var message = Fixtures.update("command-start-with-botname").getMessage();
    assertEquals("/start@fake_bot payload", message.getText());
    assertEquals(15, message.getEntities().get(0).getLength());
    assertEquals("/start@fake_bot", message.getCommand());
    assertTrue(message.getChat().isSuperGroupChat());
  }

  @Test
  void unknownUpdateKindParsesToAnEmptyUpdateAndPassesThroughTheFakeVerbatim() throws Exception {
    Update update = Fixtures.update("unknown-update-type");
    assertEquals(815736208, update.getUpdateId());
    assertFalse(update.hasInlineQuery() || update.hasChatMember() || update.hasEditedMessage());

    try (FakeBotApi api = FakeBotApi.start()) {
      api.enqueueJson(Fixtures.json("unknown-update-type.json"));
      JsonNode received = new BotApiHttp(api).post("getUpdates", "{}").result().get(0);
      assertEquals(Json.parse(Fixtures.json("unknown-update-type")), received);
      assertEquals("hologram", received.at("/future_update_kind/payload/kind").asText());
    }
  }

  @Test
  void anUnknownFixtureNameSaysWhichExist() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Fixtures.json("nope"));
    assertTrue(e.getMessage().contains("message-text"));
  }
}
