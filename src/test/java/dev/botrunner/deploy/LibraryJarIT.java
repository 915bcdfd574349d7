package dev.botrunner.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The library jar an application depends on carries nothing that changes the application's own
 * configuration: no {@code application.properties} (that is the runnable service's), no {@code
 * microprofile-config.properties} (a default there would apply to the host), and its native
 * registrations as GraalVM files that add to the host's ({@code native-image.properties} with
 * botrunner's feature, the resource config for its migration scripts). Runs after {@code package}
 * built the jar.
 */
class LibraryJarIT {

  @Test
  void theLibraryJarSetsNothingForItsHost() throws IOException {
    Path jar = libraryJar();
    try (JarFile file = new JarFile(jar.toFile())) {
      assertNull(file.getEntry("application.properties"), "the service's settings in " + jar);
      assertNull(
          file.getEntry("META-INF/microprofile-config.properties"),
          "defaults for a host in " + jar);
      var nativeImage =
          file.getEntry("META-INF/native-image/dev.botrunner/botrunner/native-image.properties");
      assertNotNull(nativeImage, "botrunner's native-image.properties in " + jar);
      Properties args = new Properties();
      try (InputStream in = file.getInputStream(nativeImage)) {
        args.load(in);
      }
      assertEquals(
          "--features=dev.botrunner.internal.config.TelegramReflectionFeature",
          args.getProperty("Args"));
      assertNotNull(
          file.getEntry("META-INF/native-image/dev.botrunner/botrunner/resource-config.json"),
          "the migration scripts' resource config in " + jar);
      assertNotNull(file.getEntry("dev/botrunner/Bot.class"), "the library's classes in " + jar);
    }
  }

  private static Path libraryJar() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      List<Path> jars =
          files
              .filter(p -> p.getFileName().toString().matches("botrunner-[^-]+(-SNAPSHOT)?\\.jar"))
              .toList();
      assertTrue(jars.size() == 1, "one library jar in target/: " + jars);
      return jars.get(0);
    }
  }
}
