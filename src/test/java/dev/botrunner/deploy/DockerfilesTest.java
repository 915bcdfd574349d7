package dev.botrunner.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.deployment.images.ContainerImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The container images' Dockerfiles, read as text (no container runtime here to build them): non-
 * root user, the port the service listens on, and the base image: Quarkus's own by default, another
 * one at build time.
 */
class DockerfilesTest {

  private static List<String> instructions(String name) throws IOException {
    return Files.readAllLines(Path.of("src/main/docker", name)).stream()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native-micro"})
  void runsAsANonRootUserOnPort8080(String name) throws IOException {
    List<String> lines = instructions(name);
    List<String> users = lines.stream().filter(l -> l.startsWith("USER ")).toList();
    assertFalse(users.isEmpty(), name + " sets a USER");
    String last = users.get(users.size() - 1).substring(5).strip();
    assertTrue(
        last.matches("[1-9][0-9]*(:.*)?"), name + " ends as a numeric non-root user: " + last);
    assertTrue(lines.contains("EXPOSE 8080"), name + " exposes Quarkus's default port");
  }

  /**
   * The base image is a build argument (a mirror or another tag with {@code --build-arg}) whose
   * default is the image Quarkus itself picks: for a Java 25 application (virtual threads for
   * blocking handlers, no pinning inside {@code synchronized}) and for a native executable (UBI 9,
   * as Quarkus's default builder image for JDK 25). A Quarkus upgrade that moves them fails here
   * until the Dockerfiles follow.
   */
  @ParameterizedTest
  @CsvSource({
    "Dockerfile.jvm, " + ContainerImages.UBI9_JAVA_25,
    "Dockerfile.native-micro, " + ContainerImages.QUARKUS_MICRO_IMAGE
  })
  void theBaseImageIsABuildArgumentDefaultingToQuarkussImage(String name, String image)
      throws IOException {
    List<String> lines = instructions(name);
    assertEquals("ARG BASE_IMAGE=" + image, lines.get(0), name);
    assertEquals("FROM ${BASE_IMAGE}", lines.get(1), name);
    assertEquals(
        1, lines.stream().filter(l -> l.startsWith("FROM ")).count(), name + ": one stage");
  }
}
