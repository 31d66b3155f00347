package dev.ebb.local;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Optional;

/**
 * Where the local autoscaler reads a component's copies: its Deployment and its copies' pods (the
 * Flink autoscaler's collector port). The operator's reads informers; a test's, a map.
 */
public interface CopiesSource {
  /** Starts watching a namespace that has local policies (idempotent). */
  void watch(String namespace);

  /** The component's Deployment, as last seen. */
  Optional<Deployment> deployment(ComponentKey component);

  /** The component's copies' pods, as last seen. */
  List<Pod> pods(ComponentKey component);

  /** Stops watching. */
  void close();
}
