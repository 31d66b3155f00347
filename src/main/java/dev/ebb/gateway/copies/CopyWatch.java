package dev.ebb.gateway.copies;

import dev.ebb.config.PrunedItemStore;
import dev.ebb.local.ComponentKey;
import dev.ebb.local.ModelServerWorkload;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Each local component's copies, known from the API server by watch (never by polling): the pods
 * Ebb manages, by their component label. Ready copies are routable; starting copies are the ones
 * the gateway's own probe asks ({@link CopyProbes}).
 */
@ApplicationScoped
public class CopyWatch {
  private static final String BY_COMPONENT = "component";

  private final KubernetesClient client;
  private SharedIndexInformer<Pod> pods;

  public CopyWatch(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Starts watching; {@code onCopies} hears every change of a component's copies that routing reads
   * ({@link #readyCopies} and {@link #startingCopies}).
   */
  void start(Consumer<ComponentKey> onCopies) {
    pods =
        client
            .pods()
            .inAnyNamespace()
            .withLabel("app.kubernetes.io/managed-by", "ebb")
            .runnableInformer(0)
            .itemStore(new PrunedItemStore<>());
    pods.addIndexers(
        Map.of(BY_COMPONENT, p -> componentOf(p).map(k -> List.of(key(k))).orElse(List.of())));
    pods.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            changed(pod);
          }

          @Override
          public void onUpdate(Pod old, Pod pod) {
            // Not every status patch: only what routing reads. A container starting, stopping or
            // restarting changes starting(), so the gateway can probe (or forget) that copy.
            if (ready(old) != ready(pod)
                || !Objects.equals(address(old), address(pod))
                || !Objects.equals(starting(old), starting(pod))) {
              changed(pod);
            }
          }

          @Override
          public void onDelete(Pod pod, boolean unknown) {
            changed(pod);
          }

          private void changed(Pod pod) {
            componentOf(pod).ifPresent(onCopies);
          }
        });
    pods.start();
  }

  /** The ready copies of a component, by pod IP (each serves on the contract's port 8080). */
  public List<String> readyCopies(ComponentKey component) {
    return pods.getIndexer().byIndex(BY_COMPONENT, key(component)).stream()
        .filter(CopyWatch::ready)
        .map(CopyWatch::address)
        .flatMap(Optional::stream)
        .sorted()
        .collect(Collectors.toList());
  }

  /**
   * The component's starting copies: pods with an IP, not being deleted, not Ready, whose model
   * server container is running (see {@link #starting(Pod)}).
   */
  List<StartingCopy> startingCopies(ComponentKey component) {
    return pods.getIndexer().byIndex(BY_COMPONENT, key(component)).stream()
        .map(CopyWatch::starting)
        .flatMap(Optional::stream)
        .sorted(Comparator.comparing(StartingCopy::address))
        .collect(Collectors.toList());
  }

  /**
   * A pod as a starting copy, if it is one: it has an IP, is not being deleted, its Ready condition
   * is not True, and its model-server container is running. Before the container runs there is
   * nothing to ask (the model may still be downloading); once the pod is Ready, kubelet has
   * answered.
   */
  static Optional<StartingCopy> starting(Pod pod) {
    if (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() == null || ready(pod)) {
      return Optional.empty();
    }
    Optional<String> address = address(pod);
    Optional<Instant> started =
        Optional.ofNullable(pod.getStatus().getContainerStatuses()).stream()
            .flatMap(List::stream)
            .filter(c -> ModelServerWorkload.SERVER_CONTAINER.equals(c.getName()))
            .findFirst()
            .map(c -> c.getState() == null ? null : c.getState().getRunning())
            .map(running -> running.getStartedAt())
            .map(Instant::parse);
    if (address.isEmpty() || started.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new StartingCopy(pod.getMetadata().getName(), address.get(), started.get()));
  }

  /** Not being deleted, and its Ready condition True. */
  public static boolean ready(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() == null
        && pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** A copy's address: its pod IP. */
  private static Optional<String> address(Pod pod) {
    return Optional.ofNullable(pod.getStatus()).map(s -> s.getPodIP()).filter(ip -> !ip.isEmpty());
  }

  private static Optional<ComponentKey> componentOf(Pod pod) {
    return Optional.ofNullable(pod.getMetadata().getLabels())
        .map(l -> l.get(ModelServerWorkload.COMPONENT_LABEL))
        .map(name -> new ComponentKey(pod.getMetadata().getNamespace(), name));
  }

  private static String key(ComponentKey component) {
    return component.namespace() + "/" + component.name();
  }

  @PreDestroy
  void stop() {
    if (pods != null) {
      pods.close();
    }
  }
}
