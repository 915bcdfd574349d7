package dev.botrunner.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.MessageEntity;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.message.Message;

class UpdatesBuilderTest {

  private final UpdateFactory factory = Updates.sequence(500);

  private static void assertWellFormed(Message m, long chatId, String chatType) {
    assertNotNull(m.getMessageId());
    assertTrue(m.getDate() > 0);
    assertEquals(chatId, m.getChat().getId());
    assertEquals(chatType, m.getChat().getType());
    assertNotNull(m.getFrom().getFirstName());
  }

  @Test
  void textsOverChatsGoRoundRobinWithConsecutiveIds() {
    List<Update> updates = Updates.sequence(10).textsOverChats(5, 700, 2);
    List<Long> chats = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (Update u : updates) {
      chats.add(u.getMessage().getChatId());
      texts.add(u.getMessage().getText());
      assertEquals(u.getMessage().getChatId(), u.getMessage().getFrom().getId());
    }
    assertEquals(List.of(700L, 701L, 700L, 701L, 700L), chats);
    assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), texts);
    assertEquals(10, updates.get(0).getUpdateId());
    assertEquals(14, updates.get(4).getUpdateId());
  }

  @Test
  void idsComeFromTheFactorySequence() {
    assertEquals(500, factory.text(1, 1, "a").getUpdateId());
    assertEquals(501, factory.text(1, 1, "b").getUpdateId());
    assertEquals(502, factory.peekNextUpdateId());
    assertTrue(Updates.text(1, 1, "shared").getUpdateId() >= 1);
  }

  @Test
  void textIsPrivateWhenTheChatIsTheUserAndAGroupOtherwise() {
    Message direct = factory.text(42, 42, "hi").getMessage();
    assertWellFormed(direct, 42, "private");
    assertFalse(direct.getFrom().getIsBot());
    assertEquals("hi", direct.getText());
    assertWellFormed(factory.text(-4001, 42, "hi").getMessage(), -4001, "group");
    assertWellFormed(
        factory.text(-1001234567890L, 42, "hi").getMessage(), -1001234567890L, "supergroup");
    Message again = factory.text(42, 42, "again").getMessage();
    assertEquals(direct.getMessageId() + 1, again.getMessageId());
  }

  @Test
  void commandCarriesABotCommandEntity() {
    Message m = factory.command(42, 42, "start", "ref_123").getMessage();
    assertEquals("/start ref_123", m.getText());
    // telegrambots-meta fills an entity's text only when getEntities() runs, and isCommand()
    // relies on that text: call getEntities() first.
    MessageEntity entity = m.getEntities().get(0);
    assertEquals("bot_command", entity.getType());
    assertEquals(0, entity.getOffset());
    assertEquals(6, entity.getLength());
    assertTrue(m.isCommand());
    assertEquals("/start", m.getCommand());

    Message bare = factory.command(-4001, 42, "/help@fake_bot", null).getMessage();
    assertEquals("/help@fake_bot", bare.getText());
    assertEquals(14, bare.getEntities().get(0).getLength());
  }

  @Test
  void editedTextKeepsTheMessageId() {
    Update u = factory.editedText(42, 42, 77, "fixed");
    assertFalse(u.hasMessage());
    assertWellFormed(u.getEditedMessage(), 42, "private");
    assertEquals(77, u.getEditedMessage().getMessageId());
    assertNotNull(u.getEditedMessage().getEditDate());
  }

  @Test
  void callbackQuerySitsOnABotMessageInTheChat() {
    Update u = factory.callbackQuery(42, 42, "colour:red");
    assertTrue(u.hasCallbackQuery());
    assertEquals("colour:red", u.getCallbackQuery().getData());
    assertEquals(42L, u.getCallbackQuery().getFrom().getId());
    Message m = (Message) u.getCallbackQuery().getMessage();
    assertWellFormed(m, 42, "private");
    assertTrue(m.getFrom().getIsBot());
    assertNotNull(u.getCallbackQuery().getChatInstance());
  }

  @Test
  void inlineQueryHasNoChat() {
    Update u = factory.inlineQuery(42, "cats");
    assertTrue(u.hasInlineQuery());
    assertEquals("cats", u.getInlineQuery().getQuery());
    assertEquals(42L, u.getInlineQuery().getFrom().getId());
  }

  @Test
  void memberChangesNameTheStatuses() {
    Update joined = factory.chatMember(-4001, 42, "left", "member");
    assertEquals("left", joined.getChatMember().getOldChatMember().getStatus());
    assertEquals("member", joined.getChatMember().getNewChatMember().getStatus());
    Update blocked = factory.myChatMember(42, 42, "member", "kicked");
    assertEquals(FakeBotApi.BOT_ID, blocked.getMyChatMember().getNewChatMember().getUser().getId());
    assertEquals("private", blocked.getMyChatMember().getChat().getType());
  }

  @Test
  void builtUpdatesSurviveTheTripThroughTheFake() throws Exception {
    List<Update> sent =
        List.of(
            factory.text(42, 42, "hi"),
            factory.command(42, 42, "start", null),
            factory.callbackQuery(42, 42, "x"),
            factory.inlineQuery(42, "q"),
            factory.chatMember(-4001, 42, "left", "member"));
    try (FakeBotApi api = FakeBotApi.start()) {
      api.enqueue(sent);
      BotApiHttp.Answer answer = new BotApiHttp(api).post("getUpdates", "{}");
      List<Update> received = new ArrayList<>();
      answer.result().forEach(node -> received.add(Json.toUpdate(node)));
      assertEquals(sent, received);
      assertNull(received.get(0).getCallbackQuery());
    }
  }
}
