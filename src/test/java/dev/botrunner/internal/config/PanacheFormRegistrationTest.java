package dev.botrunner.internal.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The names the native feature registers by are the classes' real names. */
class PanacheFormRegistrationTest {

  @Test
  void theFeatureNamesThePanacheFormAndPanacheAsTheyAre() throws Exception {
    Class<?> form = Class.forName(TelegramReflectionFeature.PANACHE_FORM);
    assertEquals("dev.botrunner.internal.unit.PanacheForm", form.getInterfaces()[0].getName());
    assertDoesNotThrow(() -> Class.forName(TelegramReflectionFeature.PANACHE));
  }
}
