package example.seed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.FakeBotApiResource;
import dev.botrunner.testkit.Updates;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The whole application, as Quarkus builds it: botrunner's beans are found in its jar, and this
 * project's {@link SeedBot} is the only bot. botrunner's demo bot (which would answer {@code
 * "1: hello"}) is not installed beside it.
 */
@QuarkusTest
@WithTestResource(FakeBotApiResource.class)
class SeedBotApplicationTest {

  @Test
  void textMessagesReachThisBotAlone() throws Exception {
    FakeBotApi telegram = FakeBotApiResource.fake();
    telegram.enqueue(Updates.text(500, 500, "hello"), Updates.command(500, 500, "start", null));

    assertTrue(telegram.awaitSentMessages(2, Duration.ofSeconds(30)), "two replies");
    assertEquals(
        List.of("Got your message. That was number 1", "Got your message. That was number 2"),
        telegram.sentMessages(500).stream().map(m -> m.text()).toList());
  }
}
