package dev.botrunner.internal.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

class RepeatedWarningTest {

  @Test
  void aBurstOfTheSameFailureIsOneLineAndTheNextLineCountsTheRest() {
    Logger log = Logger.getLogger("dev.botrunner.internal.logging.RepeatedWarningTest");
    try (LogCapture capture = new LogCapture()) {
      RepeatedWarning hourly = new RepeatedWarning(log, Duration.ofHours(1));
      for (int i = 0; i < 1_000; i++) {
        hourly.warn("update " + i + " could not be saved");
      }
      RepeatedWarning always = new RepeatedWarning(log, Duration.ZERO);
      always.warn("first");
      always.warn("second");
      List<String> lines =
          capture.lines().stream().filter(l -> l.contains("saved") || l.contains("ond")).toList();
      assertEquals(1, lines.stream().filter(l -> l.contains("could not be saved")).count());
      assertTrue(lines.get(0).contains("update 0 could not be saved"), lines.toString());
      assertTrue(capture.contains("second"), "a zero period logs every one");
    }
  }
}
