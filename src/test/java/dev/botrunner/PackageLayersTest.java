package dev.botrunner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the package diagram of docs/architecture.md true: each package depends only on packages
 * below it in {@link #LAYERS} (so there are no cycles), and the packages a bot author imports never
 * show an internal type in a public or protected signature.
 */
class PackageLayersTest {

  /** Bottom first; a package may depend on the packages before it. Same as the diagram. */
  static final List<String> LAYERS =
      List.of(
          "dev.botrunner",
          "dev.botrunner.config",
          "dev.botrunner.internal.logging",
          "dev.botrunner.internal.propagation",
          "dev.botrunner.internal.config",
          "dev.botrunner.internal.client",
          "dev.botrunner.internal.store",
          "dev.botrunner.internal.unit",
          "dev.botrunner.internal.context",
          "dev.botrunner.internal.dispatch",
          "dev.botrunner.internal.polling",
          "dev.botrunner.internal.webhook",
          "dev.botrunner.internal.metrics",
          "dev.botrunner.internal.health",
          "dev.botrunner.example");

  /** What a bot author and a consumer's configuration see. */
  static final Set<String> API = Set.of("dev.botrunner", "dev.botrunner.config");

  static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
          .importPackages("dev.botrunner");

  @Test
  void everyPackageIsInTheDiagram() {
    Set<String> packages = new TreeSet<>();
    // The parent dev.botrunner.internal holds only its package-info, which says what it is.
    MAIN.stream()
        .filter(c -> !c.getSimpleName().equals("package-info"))
        .forEach(c -> packages.add(c.getPackageName()));
    assertEquals(new TreeSet<>(LAYERS), packages, "add the new package to LAYERS and the diagram");
  }

  @Test
  void noPackageDependsOnOneAboveIt() {
    List<String> upward = new ArrayList<>();
    for (JavaClass origin : MAIN) {
      int from = LAYERS.indexOf(origin.getPackageName());
      for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
        JavaClass target = dependency.getTargetClass();
        int to = LAYERS.indexOf(target.getPackageName());
        if (to > from) {
          upward.add(dependency.getDescription());
        }
      }
    }
    assertTrue(upward.isEmpty(), "dependencies that point up the diagram:\n" + join(upward));
  }

  @Test
  void apiSignaturesShowNoInternalType() {
    List<String> leaks = new ArrayList<>();
    for (JavaClass type : MAIN) {
      if (API.contains(type.getPackageName())) {
        checkSignatures(type, leaks);
      }
    }
    assertTrue(leaks.isEmpty(), "internal types in the API's signatures:\n" + join(leaks));
  }

  @Test
  void testKitSignaturesShowNoInternalType() {
    // A consumer's tests see the test kit; its own tests (…Test) are not shipped.
    List<String> leaks = new ArrayList<>();
    JavaClasses kit = new ClassFileImporter().importPackages("dev.botrunner.testkit");
    for (JavaClass type : kit) {
      if (type.getPackageName().equals("dev.botrunner.testkit")
          && !type.getSimpleName().endsWith("Test")) {
        checkSignatures(type, leaks);
      }
    }
    assertTrue(leaks.isEmpty(), "internal types in the test kit:\n" + join(leaks));
  }

  private static void checkSignatures(JavaClass type, List<String> leaks) {
    if (!visible(type.getModifiers())) {
      return;
    }
    type.getRawSuperclass().ifPresent(s -> check(type.getName() + " extends", s, leaks));
    type.getRawInterfaces().forEach(i -> check(type.getName() + " implements", i, leaks));
    for (JavaMember member : type.getMembers()) {
      if (visible(member.getModifiers())) {
        signatureTypes(member).forEach(t -> check(member.getFullName(), t, leaks));
      }
    }
  }

  @Test
  void theApiHasNoPublicHelpers() {
    // Helpers the composer needs stay package-private; a public one would read as API.
    List<String> helpers =
        Stream.of(
                "FilterQuery",
                "Commands",
                "RegistrationSite",
                "Workers",
                "BlockedLoopWatch",
                "ErrorReporting",
                "UpdateMdc",
                "UpdateView")
            .map(name -> MAIN.get("dev.botrunner." + name))
            .filter(c -> c.getModifiers().contains(JavaModifier.PUBLIC))
            .map(JavaClass::getName)
            .toList();
    assertTrue(helpers.isEmpty(), "public helpers in the API package: " + helpers);
  }

  /** Public in internal without a user in another package of this project, and why. */
  static final Set<String> LOADED_BY_NAME =
      Set.of(
          // ServiceLoader (META-INF/services) needs public classes.
          "dev.botrunner.internal.config.JdbcUrlFromReactiveUrl",
          "dev.botrunner.internal.config.WebhookOutOfHttpMetrics",
          // GraalVM instantiates the feature named in the native build's arguments.
          "dev.botrunner.internal.config.TelegramReflectionFeature",
          // Its PRIORITY orders other packages' startup observers; javac inlines the constant.
          "dev.botrunner.internal.config.StartupValidation",
          // Serialized by Jackson, which reads its getters.
          "dev.botrunner.internal.client.SetWebhookJson",
          // Used by bench/rest-webhook, a project of its own.
          "dev.botrunner.internal.webhook.RecentUpdates");

  @Test
  void internalTypesArePublicOnlyWhenAnotherPackageUsesThem() {
    // Users: the main classes and the tests (a test in another package, e.g. pg or it, counts).
    Set<String> usedAcross = new TreeSet<>();
    for (JavaClass origin : new ClassFileImporter().importPackages("dev.botrunner")) {
      for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
        JavaClass target = dependency.getTargetClass();
        if (!target.getPackageName().equals(origin.getPackageName())) {
          // A nested type's use is a use of the file that holds it.
          usedAcross.add(target.getName().replaceFirst("\\$.*", ""));
        }
      }
    }
    List<String> needless =
        MAIN.stream()
            .filter(c -> c.getPackageName().startsWith("dev.botrunner.internal."))
            .filter(c -> c.isTopLevelClass() && c.getModifiers().contains(JavaModifier.PUBLIC))
            .map(JavaClass::getName)
            .filter(name -> !usedAcross.contains(name) && !LOADED_BY_NAME.contains(name))
            .toList();
    assertTrue(needless.isEmpty(), "make these package-private: " + needless);
  }

  private static Stream<JavaClass> signatureTypes(JavaMember member) {
    Stream<JavaType> types;
    if (member instanceof JavaField field) {
      types = Stream.of(field.getType());
    } else {
      JavaCodeUnit unit = (JavaCodeUnit) member;
      types =
          Stream.concat(
              Stream.concat(Stream.of(unit.getReturnType()), unit.getParameterTypes().stream()),
              unit.getThrowsClause().getTypes().stream().map(JavaType.class::cast));
    }
    return types.flatMap(t -> t.getAllInvolvedRawTypes().stream());
  }

  private static void check(String where, JavaClass type, List<String> leaks) {
    if (type.getPackageName().startsWith("dev.botrunner.internal")) {
      leaks.add(where + " -> " + type.getName());
    }
  }

  private static boolean visible(Set<JavaModifier> modifiers) {
    return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
  }

  private static String join(List<String> lines) {
    return String.join("\n", new TreeSet<>(lines));
  }
}
