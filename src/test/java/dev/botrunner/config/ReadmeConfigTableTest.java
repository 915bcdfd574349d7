package dev.botrunner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README's configuration table names exactly the settings of {@link BotConfig}: a setting added
 * without a row, or a row left for a setting that is gone, fails the build.
 */
class ReadmeConfigTableTest {

  private static final Pattern ROW = Pattern.compile("^\\| `(BOT_[A-Z0-9_]+)`", Pattern.MULTILINE);

  @Test
  void theTableAndTheMappingNameTheSameSettings() throws IOException {
    Set<String> mapped = new TreeSet<>();
    collect(BotConfig.class, "BOT", mapped);
    Set<String> documented = new TreeSet<>();
    Matcher rows = ROW.matcher(Files.readString(Path.of("README.md")));
    while (rows.find()) {
      documented.add(rows.group(1));
    }
    assertEquals(mapped, documented, "README's configuration table against BotConfig");
  }

  /** Every leaf of the mapping as its environment variable; nested groups add their name. */
  private static void collect(Class<?> group, String prefix, Set<String> into) {
    for (Method method : group.getMethods()) {
      if (Modifier.isStatic(method.getModifiers()) || method.getParameterCount() > 0) {
        continue;
      }
      String name = prefix + "_" + envName(method.getName());
      Class<?> type = method.getReturnType();
      if (type.isInterface() && type.getEnclosingClass() == BotConfig.class) {
        collect(type, name, into);
      } else {
        into.add(name);
      }
    }
  }

  /** {@code maxWaiting} → {@code MAX_WAITING}, as SmallRye Config names the property. */
  private static String envName(String method) {
    return method.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
  }
}
