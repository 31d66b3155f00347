package dev.ebb.reconciler;

import dev.ebb.api.v1alpha1.ConditionedStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Instant;
import java.util.Objects;

/** The one way reconcilers write status: a patch only when the built status differs. */
public final class StatusPatch {
  private StatusPatch() {}

  /**
   * Patches status when the built one differs, and tells of the transition in an Event (a new
   * stall, or Ready changing status or reason: {@link Events#onTransition}).
   */
  public static <S extends ConditionedStatus, R extends CustomResource<?, S>>
      UpdateControl<R> ifChanged(KubernetesClient client, Instant now, R resource, S built) {
    S previous = resource.getStatus();
    if (Objects.equals(previous, built)) {
      return UpdateControl.noUpdate();
    }
    Events.onTransition(client, resource, previous, built, now);
    resource.setStatus(built);
    return UpdateControl.patchStatus(statusOnly(resource, built));
  }

  /**
   * The object to server-side apply to /status: its name, namespace and status, nothing else. The
   * API server records ownership of every field the applied object carries, even on the status
   * subresource where it ignores changes to them; sending the labels, annotations and finalizers
   * read from the cache would make Ebb a co-owner of them, and a GitOps tool that drops a label
   * from Git could no longer remove it.
   */
  static <S, R extends CustomResource<?, S>> R statusOnly(R resource, S status) {
    R fresh;
    try {
      @SuppressWarnings("unchecked")
      Class<R> type = (Class<R>) resource.getClass();
      fresh = type.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("a custom resource class has a public no-arg constructor", e);
    }
    fresh.setMetadata(
        new ObjectMetaBuilder()
            .withName(resource.getMetadata().getName())
            .withNamespace(resource.getMetadata().getNamespace())
            .build());
    fresh.setStatus(status);
    return fresh;
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
