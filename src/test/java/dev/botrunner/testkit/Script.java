package dev.botrunner.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * Queues the next answers of one Bot API method, in order, ahead of the fake's normal behaviour.
 * Obtained from {@link FakeBotApi#script(String)}.
 *
 * <p>Each answer method ({@link #error}, {@link #retryAfter}, ...) queues one answer at once; the
 * modifiers {@link #times(int)} and {@link #delay(Duration)} then adjust the answer queued last.
 * When the queue is used up the method answers normally again.
 *
 * <pre>{@code
 * api.script("sendMessage").retryAfter(3).times(2).serverError().delay(Duration.ofMillis(200));
 * }</pre>
 *
 * <p>A scripted answer to {@code getUpdates} hands out no updates, so nothing is lost from the
 * queue of pending updates. Scripts apply after the token check: a wrong token still gets 401.
 */
public final class Script {

  private final ScriptBook book;
  private final String method;
  private ScriptedResponse last;

  Script(ScriptBook book, String method) {
    this.book = book;
    this.method = Objects.requireNonNull(method, "method");
  }

  /**
   * Queues a Telegram error answer, e.g. {@code error(403, "Forbidden: bot was blocked by the
   * user")}; the HTTP status equals the error code, as with Telegram.
   *
   * @param code Telegram's {@code error_code}, also used as HTTP status
   * @param description Telegram's {@code description}
   * @return this script
   */
  public Script error(int code, String description) {
    return queue(ScriptedResponse.reply(Reply.error(code, description)));
  }

  /**
   * Queues a flood-control answer: 429 {@code Too Many Requests: retry after S} with {@code
   * parameters.retry_after}.
   *
   * @param seconds the {@code retry_after} value
   * @return this script
   */
  public Script retryAfter(int seconds) {
    return queue(
        ScriptedResponse.reply(
            Reply.error(
                429,
                "Too Many Requests: retry after " + seconds,
                Json.object().put("retry_after", seconds))));
  }

  /**
   * Queues the answer Telegram gives when a group became a supergroup: 400 with {@code
   * parameters.migrate_to_chat_id}.
   *
   * @param newChatId the supergroup's id, normally {@code -100...}
   * @return this script
   */
  public Script migrateTo(long newChatId) {
    return queue(
        ScriptedResponse.reply(
            Reply.error(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                Json.object().put("migrate_to_chat_id", newChatId))));
  }

  /**
   * Queues a 500 {@code Internal Server Error} answer in Telegram's JSON shape.
   *
   * @return this script
   */
  public Script serverError() {
    return queue(ScriptedResponse.reply(Reply.error(500, "Internal Server Error")));
  }

  /**
   * Queues a 502 answer with an HTML body, as Telegram's front proxy sends when the Bot API is
   * down; a client must cope with a body that is not JSON.
   *
   * @return this script
   */
  public Script badGateway() {
    return queue(ScriptedResponse.reply(Reply.badGateway()));
  }

  /**
   * Queues a successful answer with the given {@code result}, instead of the fake's own.
   *
   * @param resultJson the JSON of {@code result}, e.g. {@code "true"} or a Message object
   * @return this script
   */
  public Script ok(String resultJson) {
    return queue(ScriptedResponse.reply(Reply.ok(Json.parse(resultJson))));
  }

  /**
   * Queues a closed connection: the fake reads the request, then closes the TCP connection without
   * any HTTP answer, so the client fails with an {@link java.io.IOException}.
   *
   * @return this script
   */
  public Script dropConnection() {
    return queue(ScriptedResponse.drop());
  }

  /**
   * Queues the fake's normal answer; useful to delay one normal answer, or to let one call through
   * between failures.
   *
   * @return this script
   */
  public Script answerNormally() {
    return queue(ScriptedResponse.normal());
  }

  /**
   * Makes the answer queued last be given {@code n} times in a row instead of once.
   *
   * @param n how many calls get that answer, at least 1
   * @return this script
   * @throws IllegalStateException if no answer was queued through this script yet
   */
  public Script times(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("times must be at least 1: " + n);
    }
    book.times(method, requireLast("times"), n);
    return this;
  }

  /**
   * Makes the answer queued last wait {@code delay} before it is given (or before the connection is
   * dropped). Called before any answer was queued, it queues a delayed normal answer.
   *
   * @param delay how long to hold the answer; adds to {@link FakeBotApi#latency}
   * @return this script
   */
  public Script delay(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (last == null) {
      answerNormally();
    }
    book.delay(last, delay);
    return this;
  }

  private Script queue(ScriptedResponse response) {
    book.add(method, response);
    last = response;
    return this;
  }

  private ScriptedResponse requireLast(String what) {
    if (last == null) {
      throw new IllegalStateException(what + "() needs an answer queued before it");
    }
    return last;
  }
}
