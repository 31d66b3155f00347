package dev.ebb.reconciler;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.Objects;

/** The one way reconcilers write status: a patch only when the built status differs. */
public final class StatusPatch {
  private StatusPatch() {}

  public static <S, R extends CustomResource<?, S>> UpdateControl<R> ifChanged(
      R resource, S built) {
    if (Objects.equals(resource.getStatus(), built)) {
      return UpdateControl.noUpdate();
    }
    resource.setStatus(built);
    return UpdateControl.patchStatus(resource);
  }

  /**
   * The same rule where no UpdateControl can carry the patch (a Cleaner's DeleteControl): patches
   * through {@code client} at once, only when the built status differs.
   */
  public static <S, R extends CustomResource<?, S>> void nowIfChanged(
      KubernetesClient client, R resource, S built) {
    if (!Objects.equals(resource.getStatus(), built)) {
      resource.setStatus(built);
      client.resource(resource).patchStatus();
    }
  }
}
