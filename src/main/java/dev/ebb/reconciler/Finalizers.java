package dev.ebb.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lets go of a deleted object once its cleanup is done, in place of the operator SDK's own
 * finalizer removal.
 *
 * <p>Why not {@code DeleteControl.defaultDelete()}: the SDK (5.2) removes the finalizer with a JSON
 * patch computed against the cached object, and on a conflict re-reads the object but keeps diffing
 * against the stale copy. When a status patch of the same object raced the deletion (a pass that
 * ran just before it), every retry sends the stale-to-fresh status changes as well, which the API
 * server refuses with 422 ten times in a row; the deletion is then delayed to a later event and an
 * error is logged. Here each attempt reads the object afresh and sends only the removal, guarded by
 * a test of the finalizer's position, so a concurrent change costs one more read, never a failure.
 */
public final class Finalizers {
  /** Attempts before giving up to the SDK's retry (each one follows a fresh read). */
  static final int ATTEMPTS = 10;

  private Finalizers() {}

  /** How many released objects {@link #released} remembers (the oldest are forgotten first). */
  static final int REMEMBERED = 10_000;

  /** UIDs of the objects this process let go of, oldest first. */
  private static final Map<String, Boolean> RELEASED =
      Collections.synchronizedMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > REMEMBERED;
            }
          });

  /** Removes this controller's finalizer from {@code resource}; the SDK then removes nothing. */
  public static <R extends HasMetadata> DeleteControl release(R resource, Context<R> context) {
    remove(context.getClient(), resource, context.getControllerConfiguration().getFinalizerName());
    remember(resource.getMetadata().getUid());
    return DeleteControl.noFinalizerRemoval();
  }

  static void remember(String uid) {
    if (uid != null) {
      RELEASED.put(uid, Boolean.TRUE);
    }
  }

  /**
   * Whether this process already let go of {@code resource}. The operator SDK calls cleanup again
   * from its cache when another object's event maps to this one before the deletion has reached the
   * cache (in a mass delete, each endpoint's status change maps to all its components): that
   * cleanup has nothing left to do, and must not make its AWS calls again. A UID is never reused,
   * so the answer cannot be wrong, only forgotten (then the cleanup runs and finds nothing).
   */
  public static boolean released(HasMetadata resource) {
    String uid = resource.getMetadata().getUid();
    return uid != null && RELEASED.containsKey(uid);
  }

  static <R extends HasMetadata> void remove(
      KubernetesClient client, R resource, String finalizer) {
    @SuppressWarnings("unchecked")
    Class<R> type = (Class<R>) resource.getClass();
    var object =
        client
            .resources(type)
            .inNamespace(resource.getMetadata().getNamespace())
            .withName(resource.getMetadata().getName());
    for (int attempt = 1; ; attempt++) {
      R fresh = object.get();
      if (fresh == null) {
        return;
      }
      String patch = patch(fresh.getMetadata().getFinalizers(), finalizer);
      if (patch == null) {
        return;
      }
      try {
        object.patch(PatchContext.of(PatchType.JSON), patch);
        return;
      } catch (KubernetesClientException e) {
        // 422: the test failed (the list changed since the read); 409: a write raced this one;
        // 404: the object went. Read again, unless attempts are spent.
        boolean raced = e.getCode() == 409 || e.getCode() == 422 || e.getCode() == 404;
        if (!raced || attempt >= ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /**
   * The JSON patch that removes {@code finalizer} from {@code finalizers} only if it is still where
   * it was read, or null when it is not there.
   */
  static String patch(List<String> finalizers, String finalizer) {
    int index = finalizers == null ? -1 : finalizers.indexOf(finalizer);
    if (index < 0) {
      return null;
    }
    String path = "/metadata/finalizers/" + index;
    String value = "\"" + finalizer.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    return "[{\"op\":\"test\",\"path\":\""
        + path
        + "\",\"value\":"
        + value
        + "},{\"op\":\"remove\",\"path\":\""
        + path
        + "\"}]";
  }
}
