package dev.ebb.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Immutable views of the simulator's state, for tests to assert on. Keyed by resource name. */
public final class Snapshot {
  private Snapshot() {}

  public record Region(
      String name,
      Map<String, Model> models,
      Map<String, EndpointConfig> endpointConfigs,
      Map<String, Endpoint> endpoints,
      Map<String, Component> components,
      Map<String, TransformJob> transformJobs) {

    public TransformJob transformJob(String name) {
      return transformJobs.get(name);
    }

    public Endpoint endpoint(String name) {
      return endpoints.get(name);
    }

    public Component component(String name) {
      return components.get(name);
    }
  }

  /**
   * Application Auto Scaling and CloudWatch state of a region, each item as the Describe call
   * reports it.
   */
  public record Scaling(
      List<JsonNode> scalableTargets,
      List<JsonNode> scalingPolicies,
      List<JsonNode> scheduledActions,
      List<JsonNode> alarms) {

    public boolean isEmpty() {
      return scalableTargets.isEmpty()
          && scalingPolicies.isEmpty()
          && scheduledActions.isEmpty()
          && alarms.isEmpty();
    }
  }

  static Scaling scaling(RegionStore store) {
    return new Scaling(
        copies(store.scalableTargets.values()),
        copies(store.scalingPolicies.values()),
        copies(store.scheduledActions.values()),
        copies(store.alarms.values()));
  }

  private static List<JsonNode> copies(java.util.Collection<? extends JsonNode> nodes) {
    return nodes.stream().map(n -> (JsonNode) n.deepCopy()).toList();
  }

  public record Model(
      String name,
      String arn,
      List<String> images,
      Instant creationTime,
      Map<String, String> tags) {}

  public record EndpointConfig(
      String name,
      String arn,
      List<String> variantNames,
      Instant creationTime,
      Map<String, String> tags) {}

  /** A variant of the configuration in service; instance counts are null for serverless. */
  public record Variant(
      String name,
      Integer currentInstanceCount,
      Integer desiredInstanceCount,
      double currentWeight,
      double desiredWeight) {}

  /**
   * An endpoint. {@code asyncBacklog} counts its accepted InvokeEndpointAsync requests not yet run
   * (CloudWatch's ApproximateBacklogSize); {@code hasBacklogWithoutCapacity} is CloudWatch's
   * HasBacklogWithoutCapacity: requests wait and no variant has an instance to run them.
   */
  public record Endpoint(
      String name,
      String arn,
      String status,
      String configName,
      String pendingConfigName,
      String failureReason,
      Map<String, Variant> variants,
      JsonNode lastDeploymentConfig,
      Map<String, String> tags,
      int asyncBacklog,
      boolean hasBacklogWithoutCapacity) {}

  public record Component(
      String name,
      String arn,
      String endpointName,
      String variantName,
      String modelName,
      String status,
      int currentCopyCount,
      int desiredCopyCount,
      String failureReason,
      long invocations,
      long noCapacityFailures,
      Map<String, String> tags) {}

  /**
   * A batch transform job. {@code invocations} counts the requests its run sent to the model
   * container; times are null until they happen.
   */
  public record TransformJob(
      String name,
      String arn,
      String status,
      String modelName,
      String failureReason,
      Instant creationTime,
      Instant transformStartTime,
      Instant transformEndTime,
      int invocations,
      Map<String, String> tags) {}

  static Region of(RegionStore store) {
    Map<String, Model> models = new LinkedHashMap<>();
    store.models.values().forEach(m -> models.put(m.name, model(m)));
    Map<String, EndpointConfig> configs = new LinkedHashMap<>();
    store.endpointConfigs.values().forEach(c -> configs.put(c.name, config(c)));
    Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    store.endpoints.values().forEach(e -> endpoints.put(e.name, endpoint(store, e)));
    Map<String, Component> components = new LinkedHashMap<>();
    store.components.values().forEach(c -> components.put(c.name, component(c)));
    Map<String, TransformJob> jobs = new LinkedHashMap<>();
    store.transformJobs.values().forEach(j -> jobs.put(j.name, transformJob(j)));
    return new Region(
        store.name(),
        frozen(models),
        frozen(configs),
        frozen(endpoints),
        frozen(components),
        frozen(jobs));
  }

  private static TransformJob transformJob(StoredTransformJob j) {
    return new TransformJob(
        j.name,
        j.arn,
        j.status.wire,
        j.modelName,
        j.failureReason,
        j.creationTime,
        j.transformStartTime,
        j.transformEndTime,
        j.invocations,
        frozen(j.tags));
  }

  /** An unmodifiable copy that keeps insertion order. */
  private static <K, V> Map<K, V> frozen(Map<K, V> map) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  private static Model model(StoredModel m) {
    return new Model(m.name, m.arn, List.copyOf(m.images()), m.creationTime, frozen(m.tags));
  }

  private static EndpointConfig config(StoredEndpointConfig c) {
    List<String> variants = c.variants().stream().map(v -> Json.text(v, "VariantName")).toList();
    return new EndpointConfig(c.name, c.arn, variants, c.creationTime, frozen(c.tags));
  }

  private static Endpoint endpoint(RegionStore store, StoredEndpoint e) {
    int backlog = AsyncInvocations.backlog(store, e);
    Map<String, Variant> variants = new LinkedHashMap<>();
    for (StoredVariant v : e.variants.values()) {
      Capacity.Counts counts = v.serverless() ? null : Capacity.instances(store, e, v);
      variants.put(
          v.name,
          new Variant(
              v.name,
              counts == null ? null : counts.current(),
              counts == null ? null : counts.desired(),
              v.currentWeight,
              v.desiredWeight));
    }
    return new Endpoint(
        e.name,
        e.arn,
        e.status.wire,
        e.configName,
        e.pendingConfigName,
        e.failureReason,
        variants,
        e.lastDeploymentConfig == null ? null : e.lastDeploymentConfig.deepCopy(),
        frozen(e.tags),
        backlog,
        backlog > 0 && AsyncInvocations.withInstances(store, e).isEmpty());
  }

  private static Component component(StoredComponent c) {
    return new Component(
        c.name,
        c.arn,
        c.endpointName,
        c.variantName,
        c.modelName(),
        c.status.wire,
        c.currentCopyCount,
        c.desiredCopyCount,
        c.failureReason,
        c.invocations,
        c.noCapacityFailures,
        frozen(c.tags));
  }
}
