package dev.botrunner.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.knative.serving.v1.RevisionSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;

/**
 * Every overlay renders with {@code kubectl kustomize}, every document is a valid object of its
 * kind, and its workload fits the service: the mode, one Deployment or Knative Service with its own
 * service account, a termination grace above the drain time, and the objects around it (Service,
 * PodDisruptionBudget, HorizontalPodAutoscaler, Knative scaling) select and target it.
 */
class ManifestsTest {

  @EachOverlay
  void oneWorkloadInTheModeOfTheOverlay(String name) throws Exception {
    RenderedOverlay overlay = Manifests.overlay(name);
    String expectedMode = name.equals("polling") ? "polling" : "webhook";
    assertEquals(expectedMode, overlay.config.get("BOT_MODE"), overlay.where("BOT_MODE"));
    assertEquals(
        1,
        overlay.all(Deployment.class).size() + overlay.knativeServices().size(),
        overlay.where("exactly one workload"));
    ServiceAccount sa = overlay.single(ServiceAccount.class);
    assertEquals(
        Boolean.FALSE, sa.getAutomountServiceAccountToken(), overlay.where("SA automount token"));
  }

  @EachOverlay
  void deploymentsAreSelectedByTheirServiceAndDisruptionBudget(String name) throws Exception {
    RenderedOverlay overlay = Manifests.overlay(name);
    ServiceAccount sa = overlay.single(ServiceAccount.class);
    for (Deployment d : overlay.all(Deployment.class)) {
      var pod = d.getSpec().getTemplate().getSpec();
      String what = "Deployment " + d.getMetadata().getName();
      assertEquals(
          sa.getMetadata().getName(), pod.getServiceAccountName(), overlay.where(what + " SA"));
      overlay.checkGrace(
          pod.getTerminationGracePeriodSeconds(), what + " terminationGracePeriodSeconds");
      Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
      assertTrue(
          podLabels.entrySet().containsAll(d.getSpec().getSelector().getMatchLabels().entrySet()),
          overlay.where(what + " selector matches its pods"));
      checkServices(overlay, pod.getContainers().get(0), podLabels);
      for (PodDisruptionBudget pdb : overlay.all(PodDisruptionBudget.class)) {
        var sel = pdb.getSpec().getSelector().getMatchLabels();
        assertTrue(
            sel != null && !sel.isEmpty() && podLabels.entrySet().containsAll(sel.entrySet()),
            overlay.where("PodDisruptionBudget selects the pods"));
      }
      assertEquals(
          1,
          overlay.all(PodDisruptionBudget.class).size(),
          overlay.where("one PodDisruptionBudget"));
    }
  }

  private static void checkServices(
      RenderedOverlay overlay, Container c, Map<String, String> podLabels) {
    List<Service> services = overlay.all(Service.class);
    assertEquals(1, services.size(), overlay.where("one Service"));
    for (Service s : services) {
      String what = "Service " + s.getMetadata().getName();
      Map<String, String> sel = s.getSpec().getSelector();
      assertTrue(
          sel != null && !sel.isEmpty() && podLabels.entrySet().containsAll(sel.entrySet()),
          overlay.where(what + " selects the pods"));
      for (ServicePort p : s.getSpec().getPorts()) {
        IntOrString target =
            p.getTargetPort() != null ? p.getTargetPort() : new IntOrString(p.getPort());
        assertEquals(
            overlay.httpPort(),
            overlay.resolvePort(target, c.getPorts(), what),
            overlay.where(what + " targetPort"));
      }
    }
  }

  @EachOverlay
  void knativeServicesDrainAndScaleToZero(String name) throws Exception {
    RenderedOverlay overlay = Manifests.overlay(name);
    ServiceAccount sa = overlay.single(ServiceAccount.class);
    for (io.fabric8.knative.serving.v1.Service k : overlay.knativeServices()) {
      RevisionSpec rev = k.getSpec().getTemplate().getSpec();
      String what = "Knative Service " + k.getMetadata().getName();
      assertEquals(
          sa.getMetadata().getName(), rev.getServiceAccountName(), overlay.where(what + " SA"));
      // Knative uses the revision's timeoutSeconds as the pod's termination grace period.
      overlay.checkGrace(rev.getTimeoutSeconds(), what + " timeoutSeconds");
      assertEquals(
          1,
          rev.getContainers().get(0).getPorts().size(),
          overlay.where(what + ": one port for Knative"));
      String minScale =
          k.getSpec()
              .getTemplate()
              .getMetadata()
              .getAnnotations()
              .get("autoscaling.knative.dev/min-scale");
      assertEquals("0", minScale, overlay.where(what + " allows scale to zero"));
    }
  }

  @EachOverlay
  void theAutoscalerTargetsTheDeploymentOnCpu(String name) throws Exception {
    RenderedOverlay overlay = Manifests.overlay(name);
    List<Deployment> deployments = overlay.all(Deployment.class);
    List<HorizontalPodAutoscaler> hpas = overlay.all(HorizontalPodAutoscaler.class);
    if (name.equals("webhook")) {
      assertEquals(1, hpas.size(), overlay.where("one HorizontalPodAutoscaler"));
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
          overlay.where("HPA targets the Deployment"));
      assertTrue(
          hpa.getSpec().getMetrics().stream()
              .anyMatch(m -> m.getResource() != null && "cpu".equals(m.getResource().getName())),
          overlay.where("HPA scales on CPU"));
    }
  }
}
