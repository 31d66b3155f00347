package dev.ebb.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.ConditionedStatus;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.testing.Kubectl;
import dev.ebb.testing.RealApiServerResource;
import dev.ebb.testing.SimulatorResource;
import dev.ebb.testing.TestNamespaceExtension;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A GitOps tool that server-side applies Ebb's objects (Argo CD with SSA, Flux) owns everything it
 * applied, and nothing else does: Ebb's status writes own only {@code status}, its finalizer writes
 * only the finalizer. So a label or annotation dropped from Git is dropped from the cluster, on all
 * three kinds.
 */
@QuarkusTest
@QuarkusTestResource(RealApiServerResource.class)
@QuarkusTestResource(SimulatorResource.class)
class FieldOwnershipIT {
  /** kubectl's own field manager for --server-side (Argo CD and Flux name their own). */
  private static final String GITOPS = "kubectl";

  private static Kubectl kubectl;

  @RegisterExtension
  static final TestNamespaceExtension ns =
      new TestNamespaceExtension("ownership", Duration.ofSeconds(30));

  @Test
  void serverSideApplyDropsWhatGitDropsAndEbbOwnsOnlyStatusAndItsFinalizer() {
    applyAll(true, "team: a\n    tier: gold", "note: first");
    List<CustomResource<?, ? extends ConditionedStatus>> settled =
        List.of(
            ns.awaitStatus(InferenceEndpoint.class, "llm", FieldOwnershipIT::observed),
            ns.awaitStatus(InferenceComponent.class, "llama", FieldOwnershipIT::observed),
            ns.awaitStatus(ScalingPolicy.class, "llama-scaling", FieldOwnershipIT::observed));

    for (var object : settled) {
      String kind = object.getKind();
      assertThat(object.getMetadata().getManagedFields())
          .as("%s: Ebb's status writes are recorded", kind)
          .anyMatch(e -> !GITOPS.equals(e.getManager()) && "status".equals(e.getSubresource()));
      for (ManagedFieldsEntry entry : object.getMetadata().getManagedFields()) {
        if (GITOPS.equals(entry.getManager())) {
          continue;
        }
        List<String> owned = leaves(entry.getFieldsV1().getAdditionalProperties());
        // Status writes own status; writes to the object itself own the finalizer, and the copy
        // count an autoscaler sets through the scale subresource.
        String allowed =
            "status".equals(entry.getSubresource())
                ? "status\\..*"
                : "metadata\\.finalizers(\\..*)?|spec\\.copies";
        assertThat(owned)
            .as("%s: fields owned by %s (%s)", kind, entry.getManager(), entry.getSubresource())
            .isNotEmpty()
            .allSatisfy(field -> assertThat(field).matches(allowed));
      }
    }

    // Git drops a label and the annotation: the next apply removes them from the cluster.
    applyAll(true, "team: a", null);
    assertDropped();
  }

  /**
   * The same with client-side apply (kubectl's last-applied annotation), and a re-apply of what is
   * already there changes nothing: no perpetual "configured" from defaults the API server fills in
   * (the CRDs default nothing inside list items, which client-side apply replaces whole).
   */
  @Test
  void clientSideApplyIsStableAndDropsWhatGitDrops() {
    applyAll(false, "team: a\n    tier: gold", "note: first");
    ns.awaitStatus(InferenceEndpoint.class, "llm", FieldOwnershipIT::observed);
    ns.awaitStatus(InferenceComponent.class, "llama", FieldOwnershipIT::observed);
    ns.awaitStatus(ScalingPolicy.class, "llama-scaling", FieldOwnershipIT::observed);

    String again = applyAll(false, "team: a\n    tier: gold", "note: first");
    assertThat(again.lines())
        .as("a re-apply of the same manifests")
        .containsExactlyInAnyOrder(
            "inferenceendpoint.ebb.dev/llm unchanged",
            "inferencecomponent.ebb.dev/llama unchanged",
            "scalingpolicy.ebb.dev/llama-scaling unchanged");

    applyAll(false, "team: a", null);
    assertDropped();
  }

  private static void assertDropped() {
    for (Class<? extends CustomResource<?, ?>> type :
        List.<Class<? extends CustomResource<?, ?>>>of(
            InferenceEndpoint.class, InferenceComponent.class, ScalingPolicy.class)) {
      String name =
          type == InferenceEndpoint.class
              ? "llm"
              : type == InferenceComponent.class ? "llama" : "llama-scaling";
      var object = ns.get(type, name);
      assertThat(object.getMetadata().getLabels())
          .as(type.getSimpleName())
          .isEqualTo(Map.of("team", "a"));
      assertThat(object.getMetadata().getAnnotations())
          .as(type.getSimpleName())
          .doesNotContainKey("note");
    }
  }

  private static boolean observed(CustomResource<?, ? extends ConditionedStatus> o) {
    return o.getStatus().observedGeneration() != null
        && o.getMetadata().getFinalizers() != null
        && !o.getMetadata().getFinalizers().isEmpty();
  }

  /** kubectl-applies the three objects (server-side or client-side); returns kubectl's output. */
  private static String applyAll(boolean serverSide, String labels, String annotations) {
    String metadata =
        "  labels:\n    "
            + labels
            + "\n"
            + (annotations == null ? "" : "  annotations:\n    " + annotations + "\n");
    String manifests =
        """
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceEndpoint
        metadata:
          name: llm
        %s\
        spec:
          backend: local
          variants: [{name: AllTraffic}]
        """
                .formatted(metadata)
            + "---\n"
            + """
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceComponent
        metadata:
          name: llama
        %s\
        spec:
          endpointRef: {name: llm}
          variant: AllTraffic
          model:
            image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/tgi:latest
          resources: {acceleratorCount: 1, memoryMb: 24576}
        """
                .formatted(metadata)
            + "---\n"
            + """
        apiVersion: ebb.dev/v1alpha1
        kind: ScalingPolicy
        metadata:
          name: llama-scaling
        %s\
        spec:
          targetRef: {kind: InferenceComponent, name: llama}
          minCapacity: 0
          maxCapacity: 2
          targetTracking: [{metric: ConcurrentRequestsPerCopy, targetValue: 4}]
          stepScaling:
          - name: queue
            alarm:
              metric: {namespace: vLLM, name: "vllm:num_requests_waiting"}
              threshold: 10
            steps: [{lower: 0, adjustment: 1}]
          schedule: [{name: night, cron: "0 22 * * ? *", maxCapacity: 0}]
          scaleFromZero: {}
        """
                .formatted(metadata);
    if (kubectl == null) {
      kubectl = Kubectl.forSharedServer();
    }
    return serverSide
        ? kubectl.run(manifests, "apply", "-n", ns.name(), "--server-side", "-f", "-")
        : kubectl.run(manifests, "apply", "-n", ns.name(), "-f", "-");
  }

  /** The dotted paths of a managedFields entry's fieldsV1 ("f:metadata" → "metadata"). */
  @SuppressWarnings("unchecked")
  private static List<String> leaves(Map<String, Object> fields) {
    List<String> paths = new ArrayList<>();
    collect("", Serialization.jsonMapper().convertValue(fields, Map.class), paths);
    return paths;
  }

  @SuppressWarnings("unchecked")
  private static void collect(String prefix, Map<String, Object> node, List<String> paths) {
    for (Iterator<Map.Entry<String, Object>> it = node.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (e.getKey().equals(".")) {
        continue;
      }
      String key = e.getKey().replaceFirst("^[fkv]:", "");
      String path = prefix.isEmpty() ? key : prefix + "." + key;
      if (e.getValue() instanceof Map<?, ?> child && !child.isEmpty()) {
        collect(path, (Map<String, Object>) child, paths);
      } else {
        paths.add(path);
      }
    }
  }
}
