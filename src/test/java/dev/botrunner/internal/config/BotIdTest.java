package dev.botrunner.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.config.BotConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bot id is the token's digits before the colon; nothing about it shows the secret. */
class BotIdTest {

  private static final String SECRET = "AAsecretPart-of_the_token-012345678";

  @Test
  void theDigitsBeforeTheColon() {
    assertEquals(123456789L, BotId.ofToken("123456789:" + SECRET).value());
    assertEquals(7123456789L, BotId.ofToken(" 7123456789:" + SECRET + " ").value());
    assertEquals("7123456789", BotId.ofToken("7123456789:" + SECRET).toString());
    assertEquals(BotId.ofToken("42:" + SECRET), BotId.ofToken("42:" + "b".repeat(35)));
  }

  @Test
  void badTokensAreRejectedWithoutShowingThem() {
    for (String token :
        List.of(
            "",
            SECRET,
            ":" + SECRET,
            "0:" + SECRET,
            "-5:" + SECRET,
            "+5:" + SECRET,
            "12a:" + SECRET,
            "99999999999999999999:" + SECRET)) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> BotId.ofToken(token), token);
      assertFalse(e.getMessage().contains(SECRET), e.getMessage());
      assertTrue(e.getMessage().startsWith("BOT_TOKEN"), e.getMessage());
      assertFalse(BotId.validToken(token));
    }
    assertThrows(IllegalArgumentException.class, () -> new BotId(BotId.UNCLAIMED));
  }

  @Test
  void theValidatorReportsAnIdThatIsNoBotsId() {
    for (String digits : List.of("0", "99999999999999999999")) {
      String token = digits + ":" + SECRET;
      var config =
          new io.smallrye.config.SmallRyeConfigBuilder()
              .withMapping(BotConfig.class)
              .withSources(
                  new io.smallrye.config.common.MapBackedConfigSource(
                      "test", Map.of("bot.token", token, "bot.webhook.secret", "s")) {})
              .build()
              .getConfigMapping(BotConfig.class);
      List<String> problems = BotConfigValidator.problems(config);
      assertEquals(1, problems.size(), problems.toString());
      assertTrue(problems.get(0).startsWith("BOT_TOKEN's bot id"), problems.get(0));
      assertFalse(problems.get(0).contains(SECRET));
    }
  }
}
