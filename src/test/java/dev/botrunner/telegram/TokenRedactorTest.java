package dev.botrunner.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The token, and anything shaped like one, is masked. */
class TokenRedactorTest {

  private static final String TOKEN = "123456789:AAFakeTestToken-not_real-0123456789";

  @Test
  void masksTheConfiguredTokenAndTokenShapedText() {
    TokenRedactor redactor = new TokenRedactor(TOKEN);
    assertEquals(
        "timeout on POST /bot<redacted>/getUpdates",
        redactor.redact("timeout on POST /bot" + TOKEN + "/getUpdates"));
    assertEquals(
        "other <redacted> here", redactor.redact("other 987654:" + "Z".repeat(35) + " here"));
    assertEquals("plain", redactor.redact("plain"));
  }

  @Test
  void masksTheSecretPartAlone() {
    TokenRedactor redactor = new TokenRedactor(TOKEN);
    assertEquals(
        "https://bot.example.com/hook/<redacted>",
        redactor.redact("https://bot.example.com/hook/AAFakeTestToken-not_real-0123456789"));
  }

  @Test
  void aUrlLosesItsTokenPasswordAndSecretParameters() {
    TokenRedactor redactor = new TokenRedactor(TOKEN);
    assertEquals(
        "https://bot.example.com/tg/<redacted>/hook",
        redactor.redactUrl("https://bot.example.com/tg/" + TOKEN + "/hook"));
    assertEquals(
        "postgresql://bot:<redacted>@db:5432/botrunner?sslmode=require&password=<redacted>",
        new TokenRedactor(null)
            .redactUrl("postgresql://bot:s3cr3t@db:5432/botrunner?sslmode=require&password=other"));
    assertEquals(
        "https://hooks.example.com/bot?token=<redacted>&x=1",
        redactor.redactUrl("https://hooks.example.com/bot?token=abc&x=1"));
    assertEquals(
        "https://api.telegram.org", redactor.redactUrl("https://api.telegram.org"), "unchanged");
    assertEquals(
        "postgresql://bot@db/x", redactor.redactUrl("postgresql://bot@db/x"), "no password");
  }
}
