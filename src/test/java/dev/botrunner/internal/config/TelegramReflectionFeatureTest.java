package dev.botrunner.internal.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.objects.Update;

/** The class scan the native-image feature relies on, run on the JVM's own class path. */
class TelegramReflectionFeatureTest {

  @Test
  void findsTheBotApiTypesOnTheClassPath() {
    List<Path> classPath =
        Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
            .map(Path::of)
            .toList();
    Set<String> names =
        TelegramReflectionFeature.classNames(classPath, TelegramReflectionFeature.PACKAGE);
    assertTrue(names.contains(Update.class.getName()), "Update");
    assertTrue(names.contains(SendMessage.class.getName()), "SendMessage");
    assertTrue(
        names.contains("org.telegram.telegrambots.meta.api.objects.message.Message"), "Message");
    assertTrue(names.size() > 1000, "all Bot API types, found " + names.size());
    assertTrue(names.stream().allMatch(n -> n.startsWith(TelegramReflectionFeature.PACKAGE + ".")));
  }
}
