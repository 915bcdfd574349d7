package dev.botrunner.it;

import static dev.botrunner.it.WebhookClient.HTTP;
import static dev.botrunner.it.WebhookClient.await;
import static dev.botrunner.it.WebhookClient.numbered;
import static dev.botrunner.it.WebhookClient.onConnections;
import static dev.botrunner.it.WebhookClient.postUntilAccepted;
import static dev.botrunner.it.WebhookClient.repliesIn;
import static dev.botrunner.it.WebhookClient.request;
import static dev.botrunner.it.WebhookClient.textsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.internal.webhook.WebhookResource;
import dev.botrunner.testkit.Updates;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * The service in webhook mode ({@link WebhookProfile}'s boot), driven over HTTP like Telegram
 * would: many connections, one update per POST, re-sends. The demo bot's {@code <n>: <text>}
 * replies show that each update ran once, in order per chat, with its session.
 */
@QuarkusTest
@TestProfile(WebhookProfile.class)
class WebhookOrderingTest {

  @Inject WebhookResource webhook;

  @Test
  void thousandUpdatesOverFiftyChatsFromFortyConnectionsRunOnceInOrder() throws Exception {
    long firstChat = 9_200_000;
    int chats = 50;
    int perChat = 20;
    List<List<Update>> byChat = new ArrayList<>();
    for (int c = 0; c < chats; c++) {
      List<Update> updates = new ArrayList<>();
      for (int i = 1; i <= perChat; i++) {
        updates.add(Updates.text(firstChat + c, firstChat + c, "m" + i));
      }
      byChat.add(updates);
    }
    // Like Telegram: 40 connections, and one chat's updates are posted one after another.
    onConnections(
        40,
        thread -> {
          for (int c = thread; c < chats; c += 40) {
            for (Update update : byChat.get(c)) {
              assertEquals(200, postUntilAccepted(update));
            }
          }
        });
    await("1000 replies", () -> repliesIn(firstChat, chats) >= (long) chats * perChat);
    for (int c = 0; c < chats; c++) {
      List<String> texts = new ArrayList<>();
      for (int i = 1; i <= perChat; i++) {
        texts.add("m" + i);
      }
      assertEquals(numbered(texts), textsOf(firstChat + c), "chat " + (firstChat + c));
      for (Update update : byChat.get(c)) {
        assertEquals(1, WebhookTestSetup.seen(update.getUpdateId()));
      }
    }
  }

  /**
   * A client that posts one chat's updates concurrently: they reach the server in an arbitrary
   * order (network and threads decide), so nothing can restore update_id order. What the scheduler
   * guarantees, and what is asserted, is that each chat's updates run one at a time and exactly
   * once: the demo bot's session counter, read and written by every update, numbers the replies 1,
   * 2, ... n without a gap or a repeat, which two overlapping updates of one chat would break (the
   * write-after-read hazard). That the order they run in is the order the scheduler queued them
   * (FIFO per key) is shown by KeyedSerialSchedulerTest; here no observer can see the queue order
   * without taking the scheduler's lock, because "arrival" and "queued" are two steps.
   */
  @Test
  void concurrentPostsOfOneChatRunOneAtATimeExactlyOnce() throws Exception {
    long firstChat = 9_300_000;
    int chats = 5;
    int perChat = 60;
    ConcurrentLinkedQueue<Update> queue = new ConcurrentLinkedQueue<>();
    for (int i = 1; i <= perChat; i++) {
      for (int c = 0; c < chats; c++) {
        queue.add(Updates.text(firstChat + c, firstChat + c, "c" + i));
      }
    }
    List<Update> all = List.copyOf(queue);
    onConnections(
        30,
        thread -> {
          for (Update u = queue.poll(); u != null; u = queue.poll()) {
            assertEquals(200, postUntilAccepted(u));
          }
        });
    await("replies", () -> repliesIn(firstChat, chats) >= (long) chats * perChat);
    for (int c = 0; c < chats; c++) {
      long chat = firstChat + c;
      List<String> replies = textsOf(chat);
      List<String> processed =
          replies.stream().map(reply -> reply.substring(reply.indexOf(": ") + 2)).toList();
      assertEquals(numbered(processed), replies, "chat " + chat + ": one at a time, no lost write");
      assertEquals(sentTexts(perChat), new HashSet<>(processed), "chat " + chat + ": each once");
      assertEquals(perChat, processed.size(), "chat " + chat);
    }
    for (Update update : all) {
      assertEquals(1, WebhookTestSetup.seen(update.getUpdateId()));
    }
  }

  @Test
  void aResentUpdateIsProcessedOnce() throws Exception {
    long chat = 9_400_001;
    Update update = Updates.text(chat, chat, "once");
    // Twice at the same time (the second finds the first in flight), then once more afterwards.
    CompletableFuture<HttpResponse<Void>> first =
        HTTP.sendAsync(request(update), HttpResponse.BodyHandlers.discarding());
    CompletableFuture<HttpResponse<Void>> second =
        HTTP.sendAsync(request(update), HttpResponse.BodyHandlers.discarding());
    assertEquals(200, first.get().statusCode());
    assertEquals(200, second.get().statusCode());
    assertEquals(200, postUntilAccepted(update));
    // A later update of the chat runs after anything the re-sends could have started there: once
    // it has replied, a second run of the first would show as "2: once" and push it to "3: later".
    Update later = Updates.text(chat, chat, "later");
    assertEquals(200, postUntilAccepted(later));
    await(
        "the later update's reply",
        () -> textsOf(chat).stream().anyMatch(text -> text.endsWith(": later")));
    assertEquals(List.of("1: once", "2: later"), textsOf(chat));
    assertEquals(1, WebhookTestSetup.seen(update.getUpdateId()));
    assertTrue(webhook.count(WebhookResource.Result.DUPLICATE) >= 2);
  }

  @Test
  void aFailingUpdateIsAnswered200SoTelegramDoesNotResendItForever() throws Exception {
    Update update = Updates.text(9_600_001, 9_600_001, WebhookTestSetup.FAIL);
    assertEquals(200, postUntilAccepted(update));
    assertEquals(200, postUntilAccepted(update));
    assertEquals(1, WebhookTestSetup.seen(update.getUpdateId()), "the re-send was a duplicate");
  }

  private static Set<String> sentTexts(int perChat) {
    Set<String> texts = new HashSet<>();
    for (int i = 1; i <= perChat; i++) {
      texts.add("c" + i);
    }
    return texts;
  }
}
