package dev.botrunner.internal.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.graalvm.nativeimage.hosted.Feature;
import org.graalvm.nativeimage.hosted.RuntimeReflection;

/**
 * Native image only: registers every class under {@value #PACKAGE} (telegrambots-meta's Bot API
 * types: {@code Update} and everything reachable from it, every method and its result type, and
 * their Lombok builders) for reflection, with all declared constructors, methods and fields, so
 * that Jackson can read and write them in a native executable as it does on the JVM.
 *
 * <p>Also, only when the application has Hibernate Reactive Panache, the class of the Panache form
 * of a unit of work, which botrunner loads by name ({@link #registerPanacheForm}).
 *
 * <p>Scanning at image build time keeps the registration complete across telegrambots upgrades,
 * where a hand-kept or generated {@code reflect-config.json} would go stale. The image builder
 * loads this class through {@code --features} in botrunner's
 * META-INF/native-image/dev.botrunner/botrunner/native-image.properties, which it adds to the
 * application's own arguments; the JVM never does.
 */
public final class TelegramReflectionFeature implements Feature {

  /** The package whose classes (subpackages included) are registered. */
  static final String PACKAGE = "org.telegram.telegrambots.meta.api";

  /** Present when the application has Hibernate Reactive Panache. */
  static final String PANACHE = "io.quarkus.hibernate.reactive.panache.Panache";

  /** The Panache form of a unit of work, loaded by name by {@code internal.unit.PanacheForms}. */
  static final String PANACHE_FORM = "dev.botrunner.internal.unit.PanacheUnit";

  @Override
  public String getDescription() {
    return "Registers the telegrambots-meta Bot API types for reflection (Jackson), and botrunner's"
        + " Panache unit of work when the application has Panache";
  }

  @Override
  public void beforeAnalysis(BeforeAnalysisAccess access) {
    registerPanacheForm(access);
    for (String name : classNames(access.getApplicationClassPath(), PACKAGE)) {
      Class<?> type = access.findClassByName(name);
      if (type == null) {
        continue;
      }
      try {
        RuntimeReflection.register(type);
        RuntimeReflection.register(type.getDeclaredConstructors());
        RuntimeReflection.register(type.getDeclaredMethods());
        RuntimeReflection.register(type.getDeclaredFields());
      } catch (LinkageError e) {
        // A member refers to an optional class that is not on the class path: skip the type.
      }
    }
  }

  /** Names of the classes in {@code packageName} and below, found in the jars and directories. */
  static Set<String> classNames(List<Path> classPath, String packageName) {
    String prefix = packageName.replace('.', '/') + '/';
    Set<String> names = new TreeSet<>();
    for (Path entry : classPath) {
      if (Files.isDirectory(entry)) {
        Path root = entry.resolve(prefix);
        if (!Files.isDirectory(root)) {
          continue;
        }
        try (Stream<Path> files = Files.walk(root)) {
          files
              .map(f -> entry.relativize(f).toString().replace('\\', '/'))
              .forEach(f -> addClass(names, f));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      } else if (entry.toString().endsWith(".jar") && Files.isRegularFile(entry)) {
        try (JarFile jar = new JarFile(entry.toFile())) {
          jar.stream()
              .map(JarEntry::getName)
              .filter(n -> n.startsWith(prefix))
              .forEach(n -> addClass(names, n));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return names;
  }

  private static void addClass(Set<String> names, String path) {
    if (path.endsWith(".class")
        && !path.endsWith("module-info.class")
        && !path.endsWith("package-info.class")) {
      names.add(path.substring(0, path.length() - ".class".length()).replace('/', '.'));
    }
  }

  /**
   * With Hibernate Reactive Panache in the application, registers the Panache form of a unit of
   * work ({@code internal.unit.PanacheUnit}), which botrunner loads by name: only then does the
   * image contain it, so an application without Panache never links its Panache types.
   */
  private static void registerPanacheForm(BeforeAnalysisAccess access) {
    if (access.findClassByName(PANACHE) == null) {
      return;
    }
    Class<?> form = access.findClassByName(PANACHE_FORM);
    if (form == null) {
      throw new IllegalStateException(PANACHE_FORM + " is missing from botrunner's jar");
    }
    RuntimeReflection.register(form);
    RuntimeReflection.register(form.getDeclaredConstructors());
  }
}
