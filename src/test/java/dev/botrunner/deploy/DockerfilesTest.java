package dev.botrunner.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The container images' Dockerfiles, read as text (no container runtime here to build them): non-
 * root user, the port the service listens on, and a base image given at build time, never a
 * committed registry host.
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

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native-micro"})
  void theBaseImageIsABuildArgumentWithoutDefault(String name) throws IOException {
    List<String> lines = instructions(name);
    assertEquals("ARG BASE_IMAGE", lines.get(0), name);
    assertEquals("FROM ${BASE_IMAGE}", lines.get(1), name);
    Pattern host = Pattern.compile("\\b[a-z0-9-]+(\\.[a-z0-9-]+)+/[a-z0-9._/-]+:[\\w.-]+");
    for (String line : lines) {
      Matcher m = host.matcher(line);
      assertFalse(m.find(), name + " names an image on a registry host: " + line);
    }
  }
}
