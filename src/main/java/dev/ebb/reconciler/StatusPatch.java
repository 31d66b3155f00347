package dev.ebb.reconciler;

import io.fabric8.kubernetes.client.CustomResource;
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
}
