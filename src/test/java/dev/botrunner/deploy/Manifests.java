package dev.botrunner.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the manifest tests share: rendering an overlay of {@code k8s/} with {@code kubectl
 * kustomize} (once per overlay and test JVM, since it starts a process), binding every document
 * strictly to fabric8's typed model, and the service's side of the contract (README's variables,
 * the Quarkus settings it reads, its drain time).
 */
final class Manifests {

  static final Path K8S = Path.of("k8s");
  static final Path README = Path.of("README.md");

  /** The port the service listens on unless the ConfigMap sets QUARKUS_HTTP_PORT. */
  static final int DEFAULT_HTTP_PORT = 8080;

  /** BOT_SHUTDOWN_GRACE's default (the drain work) when the ConfigMap does not set it. */
  static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(25);

  /** Quarkus settings the manifests may set; each is one the service actually uses. */
  static final Set<String> QUARKUS_ALLOWED =
      Set.of(
          "QUARKUS_HTTP_PORT",
          "QUARKUS_DATASOURCE_REACTIVE_URL",
          "QUARKUS_DATASOURCE_USERNAME",
          "QUARKUS_DATASOURCE_PASSWORD");

  /**
   * Settings that the webhook, session-store and drain branches add to BotConfig and to README's
   * table. Accepted here until those branches are merged; remove each name once README lists it.
   */
  static final Set<String> BOT_PENDING = Set.of();

  /** The Secret the pods read; shipped only as an example, never rendered. */
  static final String SECRET_NAME = "botrunner-secrets";

  static final Path SECRET_EXAMPLE = K8S.resolve("base/secret.example.yaml");

  /** Kinds the overlays may contain, by apiVersion and kind, with their fabric8 model class. */
  static final Map<String, Class<?>> KINDS =
      Map.of(
          "apps/v1/Deployment", Deployment.class,
          "v1/Service", Service.class,
          "v1/ServiceAccount", ServiceAccount.class,
          "v1/ConfigMap", ConfigMap.class,
          "v1/Secret", Secret.class,
          "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
          "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
          "serving.knative.dev/v1/Service", io.fabric8.knative.serving.v1.Service.class);

  static final YAMLMapper YAML = new YAMLMapper();

  /**
   * Binds YAML trees to the fabric8 model and fails on any field the model does not know. The model
   * classes collect unknown fields in an {@code additionalProperties} map through
   * {@code @JsonAnySetter}; ignoring that annotation lets FAIL_ON_UNKNOWN_PROPERTIES see them.
   */
  private static final ObjectMapper STRICT =
      new ObjectMapper()
          .setAnnotationIntrospector(
              new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated a) {
                  return null;
                }
              })
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);

  private static final Map<String, List<Object>> RENDERED = new HashMap<>();
  private static Set<String> readmeBotVariables;

  private Manifests() {}

  /**
   * @param overlay a directory name under {@code k8s/overlays}
   * @return the overlay, rendered and bound (its ConfigMaps checked)
   * @throws Exception if kubectl cannot run
   */
  static RenderedOverlay overlay(String overlay) throws Exception {
    return new RenderedOverlay(overlay, render(overlay));
  }

  private static synchronized List<Object> render(String overlay) throws Exception {
    List<Object> objects = RENDERED.get(overlay);
    if (objects == null) {
      String yaml = kustomize(K8S.resolve("overlays").resolve(overlay));
      objects = new ArrayList<>();
      int index = 0;
      for (JsonNode doc : YAML.readValues(YAML.createParser(yaml), JsonNode.class).readAll()) {
        if (doc == null || doc.isEmpty()) {
          continue;
        }
        objects.add(bind(doc, overlay + " document " + index++));
      }
      objects = List.copyOf(objects);
      RENDERED.put(overlay, objects);
    }
    return objects;
  }

  /** Binds one YAML document to the model class of its apiVersion and kind, strictly. */
  static Object bind(JsonNode doc, String where) {
    String key = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
    Class<?> type = KINDS.get(key);
    if (type == null) {
      fail(where + ": kind " + key + " is not one this test validates; add it to KINDS");
    }
    try {
      return STRICT.treeToValue(doc, type);
    } catch (IOException e) {
      throw new AssertionError(
          where + " (" + key + ") is not a valid object: " + e.getMessage(), e);
    }
  }

  /**
   * @return the {@code BOT_*} names of README's configuration table, which must list BOT_TOKEN and
   *     BOT_MODE
   * @throws IOException if README.md cannot be read
   */
  static synchronized Set<String> readmeBotVariables() throws IOException {
    if (readmeBotVariables == null) {
      Set<String> names = botVariablesInReadme(Files.readString(README));
      assertTrue(
          names.contains("BOT_TOKEN") && names.contains("BOT_MODE"),
          "README.md's configuration table was not found or lost BOT_TOKEN/BOT_MODE: " + names);
      readmeBotVariables = names;
    }
    return readmeBotVariables;
  }

  /** A name is one the service reads: a BOT_* variable of README's table, or allowed Quarkus. */
  static void checkEnvName(String name, String where) {
    if (name.startsWith("BOT_")) {
      Set<String> readme;
      try {
        readme = readmeBotVariables();
      } catch (IOException e) {
        throw new AssertionError("README.md could not be read", e);
      }
      assertTrue(
          readme.contains(name) || BOT_PENDING.contains(name),
          where + ": " + name + " is not in README.md's configuration table");
    } else if (name.startsWith("QUARKUS_")) {
      assertTrue(
          QUARKUS_ALLOWED.contains(name),
          where + ": " + name + " is not in Manifests.QUARKUS_ALLOWED");
    } else {
      fail(where + ": " + name + " is neither a BOT_* nor an allowed QUARKUS_* variable");
    }
  }

  /** The {@code `BOT_...`} names in the first column of README's Configuration table. */
  static Set<String> botVariablesInReadme(String readme) {
    int start = readme.indexOf("\n## Configuration");
    assertTrue(start >= 0, "README.md has no '## Configuration' section");
    int end = readme.indexOf("\n## ", start + 1);
    String section = end < 0 ? readme.substring(start) : readme.substring(start, end);
    Set<String> names = new LinkedHashSet<>();
    Matcher m = Pattern.compile("(?m)^\\|\\s*`(BOT_[A-Z0-9_]+)`").matcher(section);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** {@code 25s}, {@code 5m}, {@code 500ms} or ISO-8601, as the service accepts. */
  static Duration parseDuration(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)").matcher(v);
    if (m.matches()) {
      double n = Double.parseDouble(m.group(1));
      long millis =
          switch (m.group(2)) {
            case "ms" -> (long) n;
            case "s" -> (long) (n * 1000);
            case "m" -> (long) (n * 60_000);
            default -> (long) (n * 3_600_000);
          };
      return Duration.ofMillis(millis);
    }
    return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
  }

  /**
   * Runs {@code kubectl kustomize dir} and returns the rendered YAML. The environment variable
   * {@code KUBECTL} names another kubectl binary.
   */
  static String kustomize(Path dir) throws Exception {
    String kubectl = System.getenv().getOrDefault("KUBECTL", "kubectl");
    Process p;
    try {
      p = new ProcessBuilder(kubectl, "kustomize", dir.toString()).start();
    } catch (IOException e) {
      throw new AssertionError(
          kubectl
              + " is needed to render the k8s/ overlays but could not be started ("
              + e.getMessage()
              + "). Install it: `apt-get install kubectl` (Debian/Ubuntu package `kubectl`, which"
              + " includes kustomize) or see https://kubernetes.io/docs/tasks/tools/",
          e);
    }
    p.getOutputStream().close();
    CompletableFuture<byte[]> err =
        CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
    byte[] out = readAll(p.getInputStream());
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("kubectl kustomize " + dir + " did not finish in 120s");
    }
    String stderr = new String(err.get(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "kubectl kustomize " + dir + " failed: " + stderr);
    return new String(out, StandardCharsets.UTF_8);
  }

  private static byte[] readAll(InputStream in) {
    try (in;
        ByteArrayOutputStream buf = new ByteArrayOutputStream()) {
      in.transferTo(buf);
      return buf.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
