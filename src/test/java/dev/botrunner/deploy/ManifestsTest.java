package dev.botrunner.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.knative.serving.v1.RevisionSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks the Kubernetes manifests in {@code k8s/}: every overlay renders with {@code kubectl
 * kustomize}, every rendered document is a valid object of its kind (fabric8's typed model, strict:
 * an unknown or misspelt field fails), and the manifests agree with the service (health paths, HTTP
 * port, environment variable names, drain time, security settings).
 */
class ManifestsTest {

  private static final Path K8S = Path.of("k8s");
  private static final Path README = Path.of("README.md");

  /** The port the service listens on unless the ConfigMap sets QUARKUS_HTTP_PORT. */
  private static final int DEFAULT_HTTP_PORT = 8080;

  /** BOT_SHUTDOWN_GRACE's default (the drain work) when the ConfigMap does not set it. */
  private static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(25);

  /** Quarkus settings the manifests may set; each is one the service actually uses. */
  private static final Set<String> QUARKUS_ALLOWED =
      Set.of(
          "QUARKUS_HTTP_PORT",
          "QUARKUS_DATASOURCE_REACTIVE_URL",
          "QUARKUS_DATASOURCE_USERNAME",
          "QUARKUS_DATASOURCE_PASSWORD");

  /**
   * Settings that the webhook, session-store and drain branches add to BotConfig and to README's
   * table. Accepted here until those branches are merged; remove each name once README lists it.
   */
  private static final Set<String> BOT_PENDING = Set.of();

  /** The Secret the pods read; shipped only as an example, never rendered. */
  private static final String SECRET_NAME = "botrunner-secrets";

  private static final Path SECRET_EXAMPLE = K8S.resolve("base/secret.example.yaml");

  /** Kinds the overlays may contain, by apiVersion and kind, with their fabric8 model class. */
  private static final Map<String, Class<?>> KINDS =
      Map.of(
          "apps/v1/Deployment", Deployment.class,
          "v1/Service", Service.class,
          "v1/ServiceAccount", ServiceAccount.class,
          "v1/ConfigMap", ConfigMap.class,
          "v1/Secret", Secret.class,
          "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
          "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
          "serving.knative.dev/v1/Service", io.fabric8.knative.serving.v1.Service.class);

  private static final Map<String, String> PROBE_PATHS =
      Map.of(
          "startupProbe", "/q/health/started",
          "livenessProbe", "/q/health/live",
          "readinessProbe", "/q/health/ready");

  private static final YAMLMapper YAML = new YAMLMapper();

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

  private static Set<String> readmeBotVariables;
  private static Secret secretExample;

  @BeforeAll
  static void readServiceConfiguration() throws IOException {
    readmeBotVariables = botVariablesInReadme(Files.readString(README));
    assertTrue(
        readmeBotVariables.contains("BOT_TOKEN") && readmeBotVariables.contains("BOT_MODE"),
        "README.md's configuration table was not found or lost BOT_TOKEN/BOT_MODE: "
            + readmeBotVariables);
    List<JsonNode> docs =
        YAML.readValues(YAML.createParser(SECRET_EXAMPLE.toFile()), JsonNode.class).readAll();
    assertEquals(1, docs.size(), SECRET_EXAMPLE + " must hold exactly the example Secret");
    secretExample = (Secret) bind(docs.get(0), SECRET_EXAMPLE.toString());
    assertEquals(SECRET_NAME, secretExample.getMetadata().getName());
    assertEquals(
        Set.of("BOT_TOKEN", "BOT_WEBHOOK_SECRET", "QUARKUS_DATASOURCE_PASSWORD"),
        secretExample.getStringData().keySet(),
        SECRET_EXAMPLE + " keys");
    secretExample.getStringData().keySet().forEach(n -> checkEnvName(n, SECRET_EXAMPLE.toString()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"webhook", "polling", "knative"})
  void overlayRendersValidatesAndMatchesTheService(String overlay) throws Exception {
    String yaml = kustomize(K8S.resolve("overlays").resolve(overlay));
    List<Object> objects = new ArrayList<>();
    int index = 0;
    for (JsonNode doc : YAML.readValues(YAML.createParser(yaml), JsonNode.class).readAll()) {
      if (doc == null || doc.isEmpty()) {
        continue;
      }
      objects.add(bind(doc, overlay + " document " + index++));
    }
    new Overlay(overlay, objects).check();
  }

  /** The checks of one rendered overlay. */
  private static final class Overlay {
    final String name;
    final List<Object> objects;
    final Map<String, String> config = new LinkedHashMap<>();
    final Set<String> configMapNames = new LinkedHashSet<>();

    Overlay(String name, List<Object> objects) {
      this.name = name;
      this.objects = objects;
      for (ConfigMap cm : all(ConfigMap.class)) {
        configMapNames.add(cm.getMetadata().getName());
        if (cm.getData() != null) {
          cm.getData()
              .forEach((k, v) -> checkEnvName(k, where("ConfigMap " + cm.getMetadata().getName())));
          config.putAll(cm.getData());
        }
      }
      assertTrue(
          configMapNames.stream().anyMatch(n -> n.startsWith("botrunner-config")),
          where("no ConfigMap botrunner-config"));
    }

    String where(String what) {
      return "overlay " + name + ": " + what;
    }

    <T> List<T> all(Class<T> type) {
      return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    int httpPort() {
      String port = config.get("QUARKUS_HTTP_PORT");
      return port == null ? DEFAULT_HTTP_PORT : Integer.parseInt(port.trim());
    }

    void check() {
      String expectedMode = name.equals("polling") ? "polling" : "webhook";
      assertEquals(expectedMode, config.get("BOT_MODE"), where("BOT_MODE"));

      List<Deployment> deployments = all(Deployment.class);
      List<io.fabric8.knative.serving.v1.Service> ksvcs =
          all(io.fabric8.knative.serving.v1.Service.class);
      assertEquals(1, deployments.size() + ksvcs.size(), where("exactly one workload"));

      ServiceAccount sa = single(ServiceAccount.class);
      assertEquals(
          Boolean.FALSE, sa.getAutomountServiceAccountToken(), where("SA automount token"));

      for (Deployment d : deployments) {
        var pod = d.getSpec().getTemplate().getSpec();
        String what = "Deployment " + d.getMetadata().getName();
        assertEquals(sa.getMetadata().getName(), pod.getServiceAccountName(), where(what + " SA"));
        checkGrace(pod.getTerminationGracePeriodSeconds(), what + " terminationGracePeriodSeconds");
        checkPod(
            what,
            pod.getContainers(),
            pod.getVolumes(),
            pod.getSecurityContext() == null ? null : pod.getSecurityContext().getRunAsNonRoot(),
            pod.getSecurityContext() == null || pod.getSecurityContext().getSeccompProfile() == null
                ? null
                : pod.getSecurityContext().getSeccompProfile().getType());
        Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
        assertTrue(
            podLabels.entrySet().containsAll(d.getSpec().getSelector().getMatchLabels().entrySet()),
            where(what + " selector matches its pods"));
        checkServices(pod.getContainers().get(0), podLabels);
        for (PodDisruptionBudget pdb : all(PodDisruptionBudget.class)) {
          var sel = pdb.getSpec().getSelector().getMatchLabels();
          assertTrue(
              sel != null && !sel.isEmpty() && podLabels.entrySet().containsAll(sel.entrySet()),
              where("PodDisruptionBudget selects the pods"));
        }
        assertEquals(1, all(PodDisruptionBudget.class).size(), where("one PodDisruptionBudget"));
      }

      for (io.fabric8.knative.serving.v1.Service k : ksvcs) {
        RevisionSpec rev = k.getSpec().getTemplate().getSpec();
        String what = "Knative Service " + k.getMetadata().getName();
        assertEquals(sa.getMetadata().getName(), rev.getServiceAccountName(), where(what + " SA"));
        // Knative uses the revision's timeoutSeconds as the pod's termination grace period.
        checkGrace(rev.getTimeoutSeconds(), what + " timeoutSeconds");
        checkPod(
            what,
            rev.getContainers(),
            rev.getVolumes(),
            rev.getSecurityContext() == null ? null : rev.getSecurityContext().getRunAsNonRoot(),
            null);
        assertEquals(
            1,
            rev.getContainers().get(0).getPorts().size(),
            where(what + ": one port for Knative"));
        String minScale =
            k.getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations()
                .get("autoscaling.knative.dev/min-scale");
        assertEquals("0", minScale, where(what + " allows scale to zero"));
      }

      List<HorizontalPodAutoscaler> hpas = all(HorizontalPodAutoscaler.class);
      if (name.equals("webhook")) {
        assertEquals(1, hpas.size(), where("one HorizontalPodAutoscaler"));
      }
      for (HorizontalPodAutoscaler hpa : hpas) {
        var ref = hpa.getSpec().getScaleTargetRef();
        assertTrue(
            deployments.stream()
                .anyMatch(
                    d ->
                        d.getMetadata().getName().equals(ref.getName())
                            && "Deployment".equals(ref.getKind())
                            && "apps/v1".equals(ref.getApiVersion())),
            where("HPA targets the Deployment"));
        assertTrue(
            hpa.getSpec().getMetrics().stream()
                .anyMatch(m -> m.getResource() != null && "cpu".equals(m.getResource().getName())),
            where("HPA scales on CPU"));
      }
    }

    void checkGrace(Long seconds, String what) {
      assertNotNull(seconds, where(what + " is not set"));
      Duration grace =
          config.containsKey("BOT_SHUTDOWN_GRACE")
              ? parseDuration(config.get("BOT_SHUTDOWN_GRACE"))
              : DEFAULT_SHUTDOWN_GRACE;
      assertTrue(
          Duration.ofSeconds(seconds).compareTo(grace) > 0,
          where(what + " (" + seconds + "s) must exceed BOT_SHUTDOWN_GRACE (" + grace + ")"));
    }

    void checkPod(
        String what,
        List<Container> containers,
        List<Volume> volumes,
        Boolean podRunAsNonRoot,
        String podSeccomp) {
      assertEquals(1, containers.size(), where(what + ": one container"));
      Container c = containers.get(0);
      String cw = what + " container " + c.getName();

      // Ports and probes.
      List<ContainerPort> ports = c.getPorts();
      assertTrue(
          ports != null && ports.stream().anyMatch(p -> p.getContainerPort() == httpPort()),
          where(cw + " exposes containerPort " + httpPort()));
      for (ContainerPort p : ports) {
        assertEquals(httpPort(), p.getContainerPort(), where(cw + " port " + p.getName()));
      }
      Map<String, Probe> probes = new LinkedHashMap<>();
      probes.put("startupProbe", c.getStartupProbe());
      probes.put("livenessProbe", c.getLivenessProbe());
      probes.put("readinessProbe", c.getReadinessProbe());
      probes.forEach(
          (kind, probe) -> {
            assertNotNull(probe, where(cw + " has no " + kind));
            assertNotNull(probe.getHttpGet(), where(cw + " " + kind + " is not httpGet"));
            assertEquals(
                PROBE_PATHS.get(kind), probe.getHttpGet().getPath(), where(cw + " " + kind));
            IntOrString port = probe.getHttpGet().getPort();
            if (port != null) {
              assertEquals(
                  httpPort(), resolvePort(port, ports, cw + " " + kind), where(cw + " " + kind));
            }
          });

      // Environment: every name one the service reads; envFrom the config and the secret.
      if (c.getEnv() != null) {
        for (EnvVar e : c.getEnv()) {
          checkEnvName(e.getName(), where(cw + " env"));
        }
      }
      boolean fromConfig = false;
      boolean fromSecret = false;
      for (EnvFromSource src : c.getEnvFrom()) {
        assertTrue(src.getPrefix() == null, where(cw + " envFrom must not use a prefix"));
        if (src.getConfigMapRef() != null) {
          assertTrue(
              configMapNames.contains(src.getConfigMapRef().getName()),
              where(cw + " envFrom ConfigMap " + src.getConfigMapRef().getName() + " not found"));
          fromConfig = true;
        }
        if (src.getSecretRef() != null) {
          assertEquals(SECRET_NAME, src.getSecretRef().getName(), where(cw + " envFrom Secret"));
          fromSecret = true;
        }
      }
      assertTrue(fromConfig && fromSecret, where(cw + " envFrom ConfigMap and Secret"));

      // Resources.
      var res = c.getResources();
      assertNotNull(res, where(cw + " resources"));
      for (String r : List.of("cpu", "memory")) {
        assertTrue(
            res.getRequests() != null && res.getRequests().containsKey(r),
            where(cw + " requests." + r));
        assertTrue(
            res.getLimits() != null && res.getLimits().containsKey(r), where(cw + " limits." + r));
      }

      // Security.
      SecurityContext sc = c.getSecurityContext();
      assertNotNull(sc, where(cw + " securityContext"));
      assertTrue(
          Boolean.TRUE.equals(sc.getRunAsNonRoot())
              || (sc.getRunAsNonRoot() == null && Boolean.TRUE.equals(podRunAsNonRoot)),
          where(cw + " runAsNonRoot"));
      assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem(), where(cw + " readOnlyRootFs"));
      assertEquals(
          Boolean.FALSE, sc.getAllowPrivilegeEscalation(), where(cw + " allowPrivilegeEscalation"));
      assertTrue(
          sc.getCapabilities() != null
              && sc.getCapabilities().getDrop() != null
              && sc.getCapabilities().getDrop().contains("ALL"),
          where(cw + " capabilities.drop ALL"));
      String seccomp =
          sc.getSeccompProfile() != null ? sc.getSeccompProfile().getType() : podSeccomp;
      assertEquals("RuntimeDefault", seccomp, where(cw + " seccompProfile"));

      // A writable /tmp from an emptyDir, since the root filesystem is read-only.
      VolumeMount tmp =
          c.getVolumeMounts() == null
              ? null
              : c.getVolumeMounts().stream()
                  .filter(m -> "/tmp".equals(m.getMountPath()))
                  .findFirst()
                  .orElse(null);
      assertNotNull(tmp, where(cw + " mounts nothing at /tmp"));
      assertTrue(
          volumes != null
              && volumes.stream()
                  .anyMatch(v -> v.getName().equals(tmp.getName()) && v.getEmptyDir() != null),
          where(cw + " /tmp is not an emptyDir"));
    }

    void checkServices(Container c, Map<String, String> podLabels) {
      List<Service> services = all(Service.class);
      assertEquals(1, services.size(), where("one Service"));
      for (Service s : services) {
        String what = "Service " + s.getMetadata().getName();
        Map<String, String> sel = s.getSpec().getSelector();
        assertTrue(
            sel != null && !sel.isEmpty() && podLabels.entrySet().containsAll(sel.entrySet()),
            where(what + " selects the pods"));
        for (ServicePort p : s.getSpec().getPorts()) {
          IntOrString target =
              p.getTargetPort() != null ? p.getTargetPort() : new IntOrString(p.getPort());
          assertEquals(
              httpPort(), resolvePort(target, c.getPorts(), what), where(what + " targetPort"));
        }
      }
    }

    int resolvePort(IntOrString port, List<ContainerPort> ports, String what) {
      if (port.getIntVal() != null) {
        return port.getIntVal();
      }
      return ports.stream()
          .filter(p -> port.getStrVal().equals(p.getName()))
          .mapToInt(ContainerPort::getContainerPort)
          .findFirst()
          .orElseThrow(
              () -> new AssertionError(where(what + ": no port named " + port.getStrVal())));
    }

    <T> T single(Class<T> type) {
      List<T> found = all(type);
      assertEquals(1, found.size(), where("one " + type.getSimpleName()));
      return found.get(0);
    }
  }

  /** Binds one YAML document to the model class of its apiVersion and kind, strictly. */
  private static Object bind(JsonNode doc, String where) {
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

  /** A name is one the service reads: a BOT_* variable of README's table, or allowed Quarkus. */
  private static void checkEnvName(String name, String where) {
    if (name.startsWith("BOT_")) {
      assertTrue(
          readmeBotVariables.contains(name) || BOT_PENDING.contains(name),
          where + ": " + name + " is not in README.md's configuration table");
    } else if (name.startsWith("QUARKUS_")) {
      assertTrue(
          QUARKUS_ALLOWED.contains(name),
          where + ": " + name + " is not in ManifestsTest.QUARKUS_ALLOWED");
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
