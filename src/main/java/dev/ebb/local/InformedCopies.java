package dev.ebb.local;

import dev.ebb.config.PrunedItemStore;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Copies as informers see them: Ebb's Deployments and their pods, per namespace that has local
 * policies (never the whole cluster).
 */
@Singleton
public class InformedCopies implements CopiesSource {
  private static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  private final KubernetesClient client;
  private final Map<String, SharedIndexInformer<Deployment>> deployments =
      new ConcurrentHashMap<>();
  private final Map<String, SharedIndexInformer<Pod>> pods = new ConcurrentHashMap<>();

  public InformedCopies(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void watch(String namespace) {
    deployments.computeIfAbsent(
        namespace,
        ns ->
            started(
                client
                    .apps()
                    .deployments()
                    .inNamespace(ns)
                    .withLabel(MANAGED_BY, "ebb")
                    .runnableInformer(0)));
    // The copies' pods: which of them the scheduler cannot place or keep failing.
    pods.computeIfAbsent(
        namespace,
        ns ->
            started(
                client.pods().inNamespace(ns).withLabel(MANAGED_BY, "ebb").runnableInformer(0)));
  }

  /** Started and synced (as {@code inform()}), with a store that keeps only what Ebb reads. */
  private static <T extends HasMetadata> SharedIndexInformer<T> started(
      SharedIndexInformer<T> informer) {
    informer.itemStore(new PrunedItemStore<>());
    informer.run();
    return informer;
  }

  @Override
  public Optional<Deployment> deployment(ComponentKey target) {
    SharedIndexInformer<Deployment> informer = deployments.get(target.namespace());
    if (informer == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(
        informer.getStore().getByKey(Cache.namespaceKeyFunc(target.namespace(), target.name())));
  }

  @Override
  public List<Pod> pods(ComponentKey target) {
    SharedIndexInformer<Pod> informer = pods.get(target.namespace());
    if (informer == null) {
      return List.of();
    }
    // The informer watches the target's namespace only; its copies carry the component label.
    String name = target.name();
    return informer.getStore().list().stream()
        .filter(p -> p.getMetadata().getLabels() != null)
        .filter(
            p -> name.equals(p.getMetadata().getLabels().get(ModelServerWorkload.COMPONENT_LABEL)))
        .toList();
  }

  @Override
  public void close() {
    deployments.values().forEach(SharedIndexInformer::close);
    pods.values().forEach(SharedIndexInformer::close);
  }
}
