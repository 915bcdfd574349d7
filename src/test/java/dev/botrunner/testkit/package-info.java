/**
 * A test kit for Telegram bots: a fake Bot API server on loopback ({@link
 * dev.botrunner.testkit.FakeBotApi}), update builders ({@link dev.botrunner.testkit.Updates}) and
 * JSON fixtures ({@link dev.botrunner.testkit.Fixtures}), an in-process harness ({@link
 * dev.botrunner.testkit.BotTester}) and a Quarkus test resource ({@link
 * dev.botrunner.testkit.FakeBotApiResource}). It ships as {@code
 * dev.botrunner:botrunner:<version>:testkit}.
 *
 * <pre>{@code
 * try (FakeBotApi api = FakeBotApi.start()) {
 *   // Point the bot at api.baseUrl() with FakeBotApi.TOKEN, then:
 *   api.enqueue(Updates.command(42, 42, "start", null));
 *   api.script("sendMessage").retryAfter(1); // the first reply meets flood control
 *
 *   assertTrue(api.awaitSentMessages(1, Duration.ofSeconds(10)));
 *   assertEquals(42, api.sentMessages().get(0).chatId());
 *   assertEquals(2, api.calls("sendMessage").size()); // one 429, one retry
 * }
 * }</pre>
 *
 * <p>Waits take a timeout only as a guard against a hanging test; nothing in the kit measures
 * speed.
 */
package dev.botrunner.testkit;
