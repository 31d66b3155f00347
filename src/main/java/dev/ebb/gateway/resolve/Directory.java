package dev.ebb.gateway.resolve;

import dev.ebb.api.v1alpha1.Backend;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.InferenceEndpointSpec;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.api.v1alpha1.ScalingPolicySpec.TargetKind;
import dev.ebb.config.GatewayConfig;
import dev.ebb.config.PrunedItemStore;
import dev.ebb.gateway.resolve.Resolution.Invalid;
import dev.ebb.gateway.resolve.Resolution.Local;
import dev.ebb.gateway.resolve.Resolution.SageMaker;
import dev.ebb.gateway.resolve.Resolution.Wake;
import dev.ebb.local.ComponentKey;
import dev.ebb.local.WakeRule;
import dev.ebb.sagemaker.SageMakerNames;
import dev.ebb.sagemaker.ScalingRecipes;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * What the gateway resolves requests by, known from the API server by watch (never by polling):
 * endpoints by the name clients call them by, their components, and the scale-from-zero step of the
 * ScalingPolicy on a SageMaker component. (Copies are watched by {@code copies.CopyWatch}.)
 */
@ApplicationScoped
public class Directory implements ResolveHandler.Lookups {
  private static final String BY_GATEWAY_NAME = "gateway-name";
  private static final String BY_ENDPOINT = "endpoint";
  private static final String BY_TARGET = "target";

  private final KubernetesClient client;
  private final GatewayConfig config;
  private SharedIndexInformer<InferenceEndpoint> endpoints;
  private SharedIndexInformer<InferenceComponent> components;
  private SharedIndexInformer<ScalingPolicy> policies;

  /**
   * Lookups are answered from a cache while nothing they read has changed: every event on the
   * endpoints, components or policies moves the generation on, and an answer computed under an
   * older generation is computed again.
   */
  private final java.util.concurrent.atomic.AtomicLong generation =
      new java.util.concurrent.atomic.AtomicLong();

  private final Map<LookupKey, Cached> cache = new java.util.concurrent.ConcurrentHashMap<>();

  private record LookupKey(String endpoint, String component, String variant) {}

  private record Cached(long generation, Optional<InferenceEndpoint> endpoint, Resolution route) {}

  public Directory(KubernetesClient client, GatewayConfig config) {
    this.client = client;
    this.config = config;
  }

  /** Starts watching; {@code onComponentGone} hears every component deleted. */
  public void start(Consumer<ComponentKey> onComponentGone) {
    endpoints =
        client
            .resources(InferenceEndpoint.class)
            .inAnyNamespace()
            .runnableInformer(0)
            .itemStore(new PrunedItemStore<>());
    endpoints.addIndexers(Map.of(BY_GATEWAY_NAME, e -> List.of(SageMakerNames.endpointName(e))));
    components =
        client
            .resources(InferenceComponent.class)
            .inAnyNamespace()
            .runnableInformer(0)
            .itemStore(new PrunedItemStore<>());
    components.addIndexers(
        Map.of(
            BY_ENDPOINT,
            c -> List.of(c.getMetadata().getNamespace() + "/" + c.getSpec().endpointRef().name())));
    components.addEventHandler(new Invalidating<>());
    components.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(InferenceComponent c) {}

          @Override
          public void onUpdate(InferenceComponent old, InferenceComponent c) {}

          @Override
          public void onDelete(InferenceComponent c, boolean unknown) {
            onComponentGone.accept(
                new ComponentKey(c.getMetadata().getNamespace(), c.getMetadata().getName()));
          }
        });
    policies =
        client
            .resources(ScalingPolicy.class)
            .inAnyNamespace()
            .runnableInformer(0)
            .itemStore(new PrunedItemStore<>());
    policies.addIndexers(
        Map.of(
            BY_TARGET,
            p ->
                p.getSpec().targetRef().kind() == TargetKind.InferenceComponent
                    ? List.of(p.getMetadata().getNamespace() + "/" + p.getSpec().targetRef().name())
                    : List.of()));
    endpoints.addEventHandler(new Invalidating<>());
    policies.addEventHandler(new Invalidating<>());
    endpoints.start();
    components.start();
    policies.start();
  }

  /** Any change invalidates every cached lookup. */
  private final class Invalidating<T> implements ResourceEventHandler<T> {
    @Override
    public void onAdd(T obj) {
      generation.incrementAndGet();
    }

    @Override
    public void onUpdate(T old, T obj) {
      generation.incrementAndGet();
    }

    @Override
    public void onDelete(T obj, boolean unknown) {
      generation.incrementAndGet();
    }
  }

  /** What a request names, and where it goes (null when the endpoint does not exist). */
  public record Lookup(Optional<InferenceEndpoint> endpoint, Resolution route) {}

  /**
   * {@link #endpoint} and {@link #resolve(InferenceEndpoint, String, String, String)} together,
   * from the cache when nothing changed since. A pick among variants by weight is never cached.
   */
  public Lookup lookup(String endpointName, String componentHeader, String targetVariant) {
    LookupKey key = new LookupKey(endpointName, componentHeader, targetVariant);
    long now = generation.get();
    Cached cached = cache.get(key);
    if (cached != null && cached.generation == now) {
      return new Lookup(cached.endpoint, cached.route);
    }
    Optional<InferenceEndpoint> endpoint = endpoint(endpointName);
    Resolution route =
        endpoint.map(e -> resolve(e, endpointName, componentHeader, targetVariant)).orElse(null);
    boolean random =
        endpoint.isPresent()
            && endpoint.get().getSpec().backend() != Backend.SAGEMAKER
            && (componentHeader == null || componentHeader.isEmpty())
            && (targetVariant == null || targetVariant.isEmpty())
            && placedOn(endpoint.get()).size() > 1;
    if (!random) {
      if (cache.size() > 10_000) {
        cache.clear(); // bounded: clients choose the keys
      }
      cache.put(key, new Cached(now, endpoint, route));
    }
    return new Lookup(endpoint, route);
  }

  private List<InferenceComponent> placedOn(InferenceEndpoint endpoint) {
    return components
        .getIndexer()
        .byIndex(
            BY_ENDPOINT,
            endpoint.getMetadata().getNamespace() + "/" + endpoint.getMetadata().getName());
  }

  /**
   * The endpoint clients call {@code endpointName}. Two objects may name the same SageMaker
   * endpoint (only one can own it): the one whose status shows it owns it is taken.
   */
  public Optional<InferenceEndpoint> endpoint(String endpointName) {
    List<InferenceEndpoint> named = endpoints.getIndexer().byIndex(BY_GATEWAY_NAME, endpointName);
    return named.stream()
        .filter(Directory::verified)
        .findFirst()
        .or(() -> named.stream().findFirst());
  }

  /**
   * Whether a SageMaker endpoint is the object's own, as its status says: the reconciler records
   * the endpoint's ARN only once it created, owns (by its tags) or adopted it, and drops it when
   * the namespace's tenancy rights do not cover it. Ebb signs invocations with its own role, so an
   * object that merely names someone else's endpoint must not reach it. (Backend local: always.)
   */
  static boolean verified(InferenceEndpoint endpoint) {
    if (endpoint.getSpec().backend() != Backend.SAGEMAKER) {
      return true;
    }
    var status = endpoint.getStatus();
    return status != null
        && status.endpointArn() != null
        && SageMakerNames.endpointName(endpoint).equals(status.endpointName());
  }

  /** The {@code spec.async.outputPath} of every asynchronous endpoint on backend local. */
  public Set<String> localAsyncOutputPaths() {
    if (endpoints == null) {
      return Set.of();
    }
    return endpoints.getStore().list().stream()
        .filter(e -> e.getSpec().backend() != Backend.SAGEMAKER && e.getSpec().async() != null)
        .map(e -> e.getSpec().async().outputPath())
        .collect(Collectors.toSet());
  }

  /** The Secrets of API keys that endpoints name, as {@code namespace/name}. */
  public Set<String> apiKeySecrets() {
    return endpoints.getStore().list().stream()
        .filter(e -> e.getSpec().access() != null && e.getSpec().access().apiKeys() != null)
        .map(
            e ->
                e.getMetadata().getNamespace()
                    + "/"
                    + e.getSpec().access().apiKeys().secretRef().name())
        .collect(Collectors.toSet());
  }

  /**
   * Where a request for {@code endpoint} (called {@code endpointName}) goes. On backend local,
   * without a component header: the component of the variant the request targets
   * (X-Amzn-SageMaker-Target-Variant), else of a variant picked by the variants' weights when each
   * variant has one component (an A/B test), else the endpoint's only component.
   */
  public Resolution resolve(
      InferenceEndpoint endpoint,
      String endpointName,
      String componentHeader,
      String targetVariant) {
    List<InferenceComponent> placed = placedOn(endpoint);
    if (endpoint.getSpec().backend() == Backend.SAGEMAKER) {
      if (!verified(endpoint)) {
        return new Invalid(
            "Endpoint "
                + endpointName
                + " is not invocable through Ebb: InferenceEndpoint "
                + endpoint.getMetadata().getNamespace()
                + "/"
                + endpoint.getMetadata().getName()
                + " has not shown that the SageMaker endpoint is its own (see its status).");
      }
      return sagemaker(endpoint, endpointName, placed, componentHeader);
    }
    Optional<InferenceComponent> component;
    if ((componentHeader == null || componentHeader.isEmpty())
        && (targetVariant != null && !targetVariant.isEmpty() || placed.size() > 1)) {
      var byVariant = VariantRouting.pick(endpoint, placed, targetVariant);
      if (byVariant instanceof VariantRouting.Refused refused) {
        return new Invalid(refused.message().replace("{endpoint}", endpointName));
      }
      component = Optional.of(((VariantRouting.Picked) byVariant).component());
    } else if (componentHeader == null || componentHeader.isEmpty()) {
      if (placed.size() != 1) {
        return new Invalid(
            "Inference Component Name header is required for endpoint "
                + endpointName
                + ", which has "
                + (placed.isEmpty()
                    ? "no components"
                    : placed.size() + " components: " + names(placed))
                + ".");
      }
      component = Optional.of(placed.get(0));
    } else {
      component =
          placed.stream()
              .filter(
                  c ->
                      componentHeader.equals(SageMakerNames.componentName(c))
                          || componentHeader.equals(c.getMetadata().getName()))
              .findFirst();
      if (component.isEmpty()) {
        return new Invalid(
            "Inference Component "
                + componentHeader
                + " not found on endpoint "
                + endpointName
                + (placed.isEmpty() ? "." : " (its components: " + names(placed) + ")."));
      }
    }
    var gateway =
        Optional.ofNullable(endpoint.getSpec().local()).map(InferenceEndpointSpec.Local::gateway);
    InferenceComponent c = component.get();
    return new Local(
        new ComponentKey(c.getMetadata().getNamespace(), c.getMetadata().getName()),
        c.getSpec().variant(),
        gateway
            .map(InferenceEndpointSpec.GatewaySettings::maxQueuedRequests)
            .orElse(config.maxQueuedRequests()),
        gateway
            .map(InferenceEndpointSpec.GatewaySettings::coldStartTimeoutSeconds)
            .map(Duration::ofSeconds)
            .orElse(config.coldStartTimeout()),
        parked(c));
  }

  /**
   * Why a local component at zero copies will not get one: the same wake rule as on SageMaker,
   * where only a ScalingPolicy's scale-from-zero step starts a copy, up to the max capacity in
   * force. Empty while copies are asked for, or a policy may wake it.
   */
  Optional<String> parked(InferenceComponent c) {
    var status = c.getStatus();
    if (status == null
        || status.copies() == null
        || !Integer.valueOf(0).equals(status.copies().desired())) {
      return Optional.empty();
    }
    String name = c.getMetadata().getName();
    return WakeRule.of(
            policies.getIndexer().byIndex(BY_TARGET, c.getMetadata().getNamespace() + "/" + name))
        .refusal(name);
  }

  /**
   * A SageMaker endpoint: the component header may name the object or the SageMaker component;
   * SageMaker itself judges names Ebb does not know.
   */
  private Resolution sagemaker(
      InferenceEndpoint endpoint,
      String endpointName,
      List<InferenceComponent> placed,
      String componentHeader) {
    Optional<InferenceComponent> component =
        componentHeader == null || componentHeader.isEmpty()
            ? Optional.empty()
            : placed.stream()
                .filter(
                    c ->
                        componentHeader.equals(SageMakerNames.componentName(c))
                            || componentHeader.equals(c.getMetadata().getName()))
                .findFirst();
    Optional<String> sageMakerName =
        component
            .map(SageMakerNames::componentName)
            .or(() -> Optional.ofNullable(componentHeader).filter(h -> !h.isEmpty()));
    if (component.isEmpty()
        && sageMakerName.isPresent()
        && !RequestConstraints.sageMakerComponentName(sageMakerName.get())) {
      return new Invalid(RequestConstraints.notAComponentName());
    }
    // One wake rule on both planes: a policy without scaleFromZero does not wake its component.
    WakeRule rule =
        component
            .map(
                c ->
                    WakeRule.of(
                        policies
                            .getIndexer()
                            .byIndex(
                                BY_TARGET,
                                c.getMetadata().getNamespace() + "/" + c.getMetadata().getName())))
            .orElseGet(WakeRule.NoPolicy::new);
    Optional<Wake> wake =
        rule instanceof WakeRule.Wakes w
            ? Optional.of(
                new Wake(
                    ScalingRecipes.scaleFromZeroAlarm(
                        component.get().getMetadata().getNamespace(), w.policy()),
                    w.maxCapacity(),
                    w.cooldown(),
                    w.policy()))
            : Optional.empty();
    Optional<String> parked = sageMakerName.flatMap(rule::refusal);
    return new SageMaker(
        Optional.ofNullable(endpoint.getSpec().sagemaker())
            .map(InferenceEndpointSpec.SageMaker::region),
        endpointName,
        sageMakerName,
        wake,
        config.maxQueuedRequests(),
        config.coldStartTimeout(),
        parked,
        component.map(
            c -> new ComponentKey(c.getMetadata().getNamespace(), c.getMetadata().getName())));
  }

  private static String names(List<InferenceComponent> components) {
    return components.stream()
        .map(SageMakerNames::componentName)
        .sorted()
        .collect(Collectors.joining(", "));
  }

  @PreDestroy
  void stop() {
    for (SharedIndexInformer<?> informer :
        new SharedIndexInformer<?>[] {endpoints, components, policies}) {
      if (informer != null) {
        informer.close();
      }
    }
  }
}
