package dev.botrunner.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The service's container in every overlay's workload: the HTTP port and the health probes, the
 * environment it reads, resource requests and limits, a locked-down security context, and a
 * writable {@code /tmp} on a read-only root filesystem.
 */
class OverlayContainerTest {

  private static final Map<String, String> PROBE_PATHS =
      Map.of(
          "startupProbe", "/q/health/started",
          "livenessProbe", "/q/health/live",
          "readinessProbe", "/q/health/ready");

  /** Runs {@code check} on the one container of every pod of the overlay, with its label. */
  private static void eachContainer(String name, Check check) throws Exception {
    RenderedOverlay overlay = Manifests.overlay(name);
    for (RenderedOverlay.Pod pod : overlay.pods()) {
      assertEquals(1, pod.containers().size(), overlay.where(pod.what() + ": one container"));
      Container c = pod.containers().get(0);
      check.accept(overlay, pod, c, pod.what() + " container " + c.getName());
    }
  }

  /** One check of a container; {@code cw} names it in messages. */
  private interface Check {
    void accept(RenderedOverlay overlay, RenderedOverlay.Pod pod, Container c, String cw);
  }

  @EachOverlay
  void portsAndProbesUseTheHttpPortAndHealthPaths(String name) throws Exception {
    eachContainer(
        name,
        (overlay, pod, c, cw) -> {
          int httpPort = overlay.httpPort();
          List<ContainerPort> ports = c.getPorts();
          assertTrue(
              ports != null && ports.stream().anyMatch(p -> p.getContainerPort() == httpPort),
              overlay.where(cw + " exposes containerPort " + httpPort));
          for (ContainerPort p : ports) {
            assertEquals(
                httpPort, p.getContainerPort(), overlay.where(cw + " port " + p.getName()));
          }
          Map<String, Probe> probes = new LinkedHashMap<>();
          probes.put("startupProbe", c.getStartupProbe());
          probes.put("livenessProbe", c.getLivenessProbe());
          probes.put("readinessProbe", c.getReadinessProbe());
          BiConsumer<String, Probe> checkProbe =
              (kind, probe) -> {
                assertNotNull(probe, overlay.where(cw + " has no " + kind));
                assertNotNull(
                    probe.getHttpGet(), overlay.where(cw + " " + kind + " is not httpGet"));
                assertEquals(
                    PROBE_PATHS.get(kind),
                    probe.getHttpGet().getPath(),
                    overlay.where(cw + " " + kind));
                IntOrString port = probe.getHttpGet().getPort();
                if (port != null) {
                  assertEquals(
                      httpPort,
                      overlay.resolvePort(port, ports, cw + " " + kind),
                      overlay.where(cw + " " + kind));
                }
              };
          probes.forEach(checkProbe);
        });
  }

  @EachOverlay
  void environmentComesFromTheConfigMapAndTheSecret(String name) throws Exception {
    eachContainer(
        name,
        (overlay, pod, c, cw) -> {
          // Every name one the service reads; envFrom the config and the secret.
          if (c.getEnv() != null) {
            for (EnvVar e : c.getEnv()) {
              Manifests.checkEnvName(e.getName(), overlay.where(cw + " env"));
            }
          }
          boolean fromConfig = false;
          boolean fromSecret = false;
          for (EnvFromSource src : c.getEnvFrom()) {
            assertTrue(
                src.getPrefix() == null, overlay.where(cw + " envFrom must not use a prefix"));
            if (src.getConfigMapRef() != null) {
              String cm = src.getConfigMapRef().getName();
              assertTrue(
                  overlay.configMapNames.contains(cm),
                  overlay.where(cw + " envFrom ConfigMap " + cm + " not found"));
              fromConfig = true;
            }
            if (src.getSecretRef() != null) {
              assertEquals(
                  Manifests.SECRET_NAME,
                  src.getSecretRef().getName(),
                  overlay.where(cw + " envFrom Secret"));
              fromSecret = true;
            }
          }
          assertTrue(fromConfig && fromSecret, overlay.where(cw + " envFrom ConfigMap and Secret"));
        });
  }

  @EachOverlay
  void cpuAndMemoryAreRequestedAndLimited(String name) throws Exception {
    eachContainer(
        name,
        (overlay, pod, c, cw) -> {
          var res = c.getResources();
          assertNotNull(res, overlay.where(cw + " resources"));
          for (String r : List.of("cpu", "memory")) {
            assertTrue(
                res.getRequests() != null && res.getRequests().containsKey(r),
                overlay.where(cw + " requests." + r));
            assertTrue(
                res.getLimits() != null && res.getLimits().containsKey(r),
                overlay.where(cw + " limits." + r));
          }
        });
  }

  @EachOverlay
  void theContainerIsLockedDown(String name) throws Exception {
    eachContainer(
        name,
        (overlay, pod, c, cw) -> {
          SecurityContext sc = c.getSecurityContext();
          assertNotNull(sc, overlay.where(cw + " securityContext"));
          assertTrue(
              Boolean.TRUE.equals(sc.getRunAsNonRoot())
                  || (sc.getRunAsNonRoot() == null && Boolean.TRUE.equals(pod.runAsNonRoot())),
              overlay.where(cw + " runAsNonRoot"));
          assertEquals(
              Boolean.TRUE, sc.getReadOnlyRootFilesystem(), overlay.where(cw + " readOnlyRootFs"));
          assertEquals(
              Boolean.FALSE,
              sc.getAllowPrivilegeEscalation(),
              overlay.where(cw + " allowPrivilegeEscalation"));
          assertTrue(
              sc.getCapabilities() != null
                  && sc.getCapabilities().getDrop() != null
                  && sc.getCapabilities().getDrop().contains("ALL"),
              overlay.where(cw + " capabilities.drop ALL"));
          String seccomp =
              sc.getSeccompProfile() != null ? sc.getSeccompProfile().getType() : pod.seccomp();
          assertEquals("RuntimeDefault", seccomp, overlay.where(cw + " seccompProfile"));
        });
  }

  @EachOverlay
  void tmpIsAWritableEmptyDir(String name) throws Exception {
    eachContainer(
        name,
        (overlay, pod, c, cw) -> {
          // A writable /tmp from an emptyDir, since the root filesystem is read-only.
          VolumeMount tmp =
              c.getVolumeMounts() == null
                  ? null
                  : c.getVolumeMounts().stream()
                      .filter(m -> "/tmp".equals(m.getMountPath()))
                      .findFirst()
                      .orElse(null);
          assertNotNull(tmp, overlay.where(cw + " mounts nothing at /tmp"));
          assertTrue(
              pod.volumes() != null
                  && pod.volumes().stream()
                      .anyMatch(v -> v.getName().equals(tmp.getName()) && v.getEmptyDir() != null),
              overlay.where(cw + " /tmp is not an emptyDir"));
        });
  }
}
