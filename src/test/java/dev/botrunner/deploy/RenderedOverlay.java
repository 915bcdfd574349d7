package dev.botrunner.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.knative.serving.v1.RevisionSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One rendered overlay, with the lookups its checks share: objects by kind, the configuration its
 * ConfigMaps give the service (env names checked on construction), and every pod template.
 */
final class RenderedOverlay {

  /**
   * A pod template of a Deployment or a Knative revision, reduced to what the checks read.
   *
   * @param what names the workload in messages
   * @param containers the pod's containers
   * @param volumes the pod's volumes
   * @param runAsNonRoot the pod-level runAsNonRoot, or null
   * @param seccomp the pod-level seccomp profile type, or null
   */
  record Pod(
      String what,
      List<Container> containers,
      List<Volume> volumes,
      Boolean runAsNonRoot,
      String seccomp) {}

  final String name;
  final List<Object> objects;
  final Map<String, String> config = new LinkedHashMap<>();
  final Set<String> configMapNames = new LinkedHashSet<>();

  RenderedOverlay(String name, List<Object> objects) {
    this.name = name;
    this.objects = objects;
    for (ConfigMap cm : all(ConfigMap.class)) {
      configMapNames.add(cm.getMetadata().getName());
      if (cm.getData() != null) {
        cm.getData()
            .forEach(
                (k, v) ->
                    Manifests.checkEnvName(k, where("ConfigMap " + cm.getMetadata().getName())));
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

  <T> T single(Class<T> type) {
    List<T> found = all(type);
    assertEquals(1, found.size(), where("one " + type.getSimpleName()));
    return found.get(0);
  }

  List<io.fabric8.knative.serving.v1.Service> knativeServices() {
    return all(io.fabric8.knative.serving.v1.Service.class);
  }

  /** Every pod template: the Deployments' first, then the Knative revisions'. */
  List<Pod> pods() {
    List<Pod> pods = new ArrayList<>();
    for (Deployment d : all(Deployment.class)) {
      var pod = d.getSpec().getTemplate().getSpec();
      var sc = pod.getSecurityContext();
      pods.add(
          new Pod(
              "Deployment " + d.getMetadata().getName(),
              pod.getContainers(),
              pod.getVolumes(),
              sc == null ? null : sc.getRunAsNonRoot(),
              sc == null || sc.getSeccompProfile() == null
                  ? null
                  : sc.getSeccompProfile().getType()));
    }
    for (io.fabric8.knative.serving.v1.Service k : knativeServices()) {
      RevisionSpec rev = k.getSpec().getTemplate().getSpec();
      pods.add(
          new Pod(
              "Knative Service " + k.getMetadata().getName(),
              rev.getContainers(),
              rev.getVolumes(),
              rev.getSecurityContext() == null ? null : rev.getSecurityContext().getRunAsNonRoot(),
              null));
    }
    return pods;
  }

  int httpPort() {
    String port = config.get("QUARKUS_HTTP_PORT");
    return port == null ? Manifests.DEFAULT_HTTP_PORT : Integer.parseInt(port.trim());
  }

  Duration shutdownGrace() {
    return config.containsKey("BOT_SHUTDOWN_GRACE")
        ? Manifests.parseDuration(config.get("BOT_SHUTDOWN_GRACE"))
        : Manifests.DEFAULT_SHUTDOWN_GRACE;
  }

  void checkGrace(Long seconds, String what) {
    assertNotNull(seconds, where(what + " is not set"));
    Duration grace = shutdownGrace();
    assertTrue(
        Duration.ofSeconds(seconds).compareTo(grace) > 0,
        where(what + " (" + seconds + "s) must exceed BOT_SHUTDOWN_GRACE (" + grace + ")"));
  }

  int resolvePort(IntOrString port, List<ContainerPort> ports, String what) {
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    return ports.stream()
        .filter(p -> port.getStrVal().equals(p.getName()))
        .mapToInt(ContainerPort::getContainerPort)
        .findFirst()
        .orElseThrow(() -> new AssertionError(where(what + ": no port named " + port.getStrVal())));
  }
}
