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
}
