package dev.ebb.config;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.Map;

/**
 * An informer's store that keeps objects without what Ebb never reads: {@code
 * metadata.managedFields} (server-side apply's ownership record, a tree of nested maps that was
 * most of the operator's live heap at 1,000 components: bench/scale.sh) and kubectl's {@code
 * last-applied-configuration} annotation (a second copy of the spec as text). Every informer of the
 * operator and the gateway uses it. Ebb's writes never need either: status is server-side applied
 * and the finalizer is patched by index, neither from the cached copy's managed fields.
 */
public class PrunedItemStore<T extends HasMetadata> extends BasicItemStore<T> {
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  /** Keyed by namespace/name, as the informer's default store. */
  public PrunedItemStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public T put(String key, T object) {
    return super.put(key, prune(object));
  }

  /** {@code object} without managed fields and the last-applied annotation (changed in place). */
  public static <T extends HasMetadata> T prune(T object) {
    ObjectMeta metadata = object.getMetadata();
    if (metadata != null) {
      metadata.setManagedFields(null);
      Map<String, String> annotations = metadata.getAnnotations();
      if (annotations != null && annotations.containsKey(LAST_APPLIED)) {
        annotations.remove(LAST_APPLIED);
      }
    }
    return object;
  }
}
