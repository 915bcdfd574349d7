package dev.botrunner;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * README's Java samples are code that compiles and runs: each {@code ```java} block appears in a
 * source file of this repository or of examples/, whose tests CI runs. A line starting with {@code
 * ...} in a block stands for code left out: the parts around it must appear in that order in one
 * file. Lines are compared without their indentation and with runs of spaces made one, so aligning
 * comments in README is allowed.
 */
class ReadmeSamplesTest {

  private static final Path README = Path.of("README.md");
  private static final List<Path> SOURCES =
      List.of(Path.of("src/main/java"), Path.of("src/test/java"), Path.of("examples"));

  @Test
  void everyJavaSampleIsInATestedSource() throws IOException {
    List<List<List<String>>> samples = samples(Files.readAllLines(README));
    assertFalse(samples.isEmpty(), "README has Java samples");
    List<List<String>> sources = new ArrayList<>();
    for (Path root : SOURCES) {
      try (Stream<Path> files = Files.walk(root)) {
        files
            .filter(p -> p.toString().endsWith(".java") && !p.toString().contains("/target/"))
            .forEach(p -> sources.add(normalized(read(p))));
      }
    }
    for (List<List<String>> sample : samples) {
      assertTrue(
          sources.stream().anyMatch(source -> containsInOrder(source, sample)),
          "README sample not found in any source file: " + sample);
    }
  }

  /** Each sample as its parts (split at "..." lines), each part its normalized lines. */
  private static List<List<List<String>>> samples(List<String> readme) {
    List<List<List<String>>> samples = new ArrayList<>();
    List<List<String>> sample = null;
    for (String line : readme) {
      if (sample == null) {
        if (line.trim().equals("```java")) {
          sample = new ArrayList<>();
          sample.add(new ArrayList<>());
        }
      } else if (line.trim().equals("```")) {
        samples.add(sample);
        sample = null;
      } else if (line.trim().startsWith("...")) {
        sample.add(new ArrayList<>());
      } else if (!line.isBlank()) {
        sample.get(sample.size() - 1).add(normalize(line));
      }
    }
    return samples;
  }

  private static boolean containsInOrder(List<String> source, List<List<String>> parts) {
    int from = 0;
    for (List<String> part : parts) {
      int at = indexOf(source, part, from);
      if (at < 0) {
        return false;
      }
      from = at + part.size();
    }
    return true;
  }

  private static int indexOf(List<String> source, List<String> part, int from) {
    for (int i = from; i + part.size() <= source.size(); i++) {
      if (source.subList(i, i + part.size()).equals(part)) {
        return i;
      }
    }
    return -1;
  }

  private static List<String> normalized(List<String> lines) {
    return lines.stream().filter(l -> !l.isBlank()).map(ReadmeSamplesTest::normalize).toList();
  }

  private static String normalize(String line) {
    return line.trim().replaceAll("\\s+", " ");
  }

  private static List<String> read(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
