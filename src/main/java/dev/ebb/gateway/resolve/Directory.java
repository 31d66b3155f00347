package dev.ebb.gateway;

import dev.ebb.api.v1alpha1.Backend;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.InferenceEndpointSpec;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.api.v1alpha1.ScalingPolicySpec.TargetKind;
import dev.ebb.config.GatewayConfig;
import dev.ebb.local.ComponentKey;
import dev.ebb.local.ModelServerWorkload;
import dev.ebb.reconciler.component.SageMakerComponentTarget;
import dev.ebb.reconciler.endpoint.SageMakerTarget;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * What the gateway routes by, known from the API server by watch (never by polling): endpoints by
 * the name clients call them by, their components, each local component's ready copies, and the
 * scale-from-zero step of the ScalingPolicy on a SageMaker component.
 */
@ApplicationScoped
public class Directory {
  private static final String BY_GATEWAY_NAME = "gateway-name";
  private static final String BY_ENDPOINT = "endpoint";
  private static final String BY_COMPONENT = "component";
  private static final String BY_TARGET = "target";

  private final KubernetesClient client;
  private final GatewayConfig config;
  private SharedIndexInformer<InferenceEndpoint> endpoints;
  private SharedIndexInformer<InferenceComponent> components;
  private SharedIndexInformer<Pod> pods;
  private SharedIndexInformer<ScalingPolicy> policies;

  /**
   * Lookups are answered from a cache while nothing they read has changed: every event on the
   * endpoints, components or policies moves the generation on, and an answer computed under an
   * older generation is computed again. (Pods are not read by a lookup: copies come by watch.)
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

  /** Where a request goes, or why it cannot go anywhere. */
  public sealed interface Resolution {}

  /** A local component: its copies, its variant, and how long requests may wait for a copy. */
  public record Local(
      ComponentKey component, String variant, int maxQueuedRequests, Duration coldStartTimeout)
      implements Resolution {}

  /**
   * An endpoint on SageMaker: the request is passed to SageMaker Runtime, and a component found at
   * zero copies is woken by {@code wake} (when a ScalingPolicy gives it a scale-from-zero step).
   *
   * @param component the SageMaker inference component name, when the request names one
   */
  public record SageMaker(
      Optional<String> region,
      String endpointName,
      Optional<String> component,
      Optional<Wake> wake,
      int maxQueuedRequests,
      Duration coldStartTimeout)
      implements Resolution {}

  /** How to wake a SageMaker component from zero: its policy's scale-from-zero step. */
  public record Wake(int adjustment, int maxCapacity, Duration cooldown) {}

  /** The request names something that does not exist, or is ambiguous (a ValidationError). */
  public record Invalid(String message) implements Resolution {}

  /**
   * A copy whose model server runs but whose pod is not Ready yet: kubelet has not seen {@code
   * /ping} answer, or has not said so. Equal only for the same run of the container, so a restarted
   * server is a new starting copy.
   *
   * @param serverStarted when the model-server container started running (to the second, as
   *     Kubernetes records it)
   */
  public record StartingCopy(String pod, String address, Instant serverStarted) {}

  /**
   * Starts watching; {@code onCopies} hears every change of a component's copies that routing reads
   * ({@link #readyCopies} and {@link #startingCopies}), {@code onComponentGone} every component
   * deleted.
   */
  void start(Consumer<ComponentKey> onCopies, Consumer<ComponentKey> onComponentGone) {
    endpoints = client.resources(InferenceEndpoint.class).inAnyNamespace().runnableInformer(0);
    endpoints.addIndexers(Map.of(BY_GATEWAY_NAME, e -> List.of(SageMakerTarget.endpointName(e))));
    components = client.resources(InferenceComponent.class).inAnyNamespace().runnableInformer(0);
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
    policies = client.resources(ScalingPolicy.class).inAnyNamespace().runnableInformer(0);
    policies.addIndexers(
        Map.of(
            BY_TARGET,
            p ->
                p.getSpec().targetRef().kind() == TargetKind.InferenceComponent
                    ? List.of(p.getMetadata().getNamespace() + "/" + p.getSpec().targetRef().name())
                    : List.of()));
    pods =
        client
            .pods()
            .inAnyNamespace()
            .withLabel("app.kubernetes.io/managed-by", "ebb")
            .runnableInformer(0);
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
                || !java.util.Objects.equals(address(old), address(pod))
                || !java.util.Objects.equals(starting(old), starting(pod))) {
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
    endpoints.addEventHandler(new Invalidating<>());
    policies.addEventHandler(new Invalidating<>());
    endpoints.start();
    components.start();
    policies.start();
    pods.start();
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

  /** The ready copies of a component, by pod IP (each serves on the contract's port 8080). */
  List<String> readyCopies(ComponentKey component) {
    return pods.getIndexer().byIndex(BY_COMPONENT, key(component)).stream()
        .filter(Directory::ready)
        .map(Directory::address)
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
        .map(Directory::starting)
        .flatMap(Optional::stream)
        .sorted(java.util.Comparator.comparing(StartingCopy::address))
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

  /**
   * Resolves SageMaker Runtime's addressing: the endpoint by its name, the component by the
   * X-Amzn-SageMaker-Inference-Component header (its SageMaker-style name or its object name), or
   * the endpoint's only component when the header is absent.
   */
  public Resolution resolve(String endpointName, String componentHeader) {
    return endpoint(endpointName)
        .map(e -> resolve(e, endpointName, componentHeader, null))
        .orElseGet(() -> new Invalid("Endpoint " + endpointName + " not found."));
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

  /** The endpoint clients call {@code endpointName}. */
  public Optional<InferenceEndpoint> endpoint(String endpointName) {
    return endpoints.getIndexer().byIndex(BY_GATEWAY_NAME, endpointName).stream().findFirst();
  }

  /** The Secrets of API keys that endpoints name, as {@code namespace/name}. */
  Set<String> apiKeySecrets() {
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
                      componentHeader.equals(SageMakerComponentTarget.componentName(c))
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
            .orElse(config.coldStartTimeout()));
  }

  /**
   * A SageMaker endpoint: the component header may name the object or the SageMaker component;
   * SageMaker itself judges names Ebb does not know.
   */
  private SageMaker sagemaker(
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
                        componentHeader.equals(SageMakerComponentTarget.componentName(c))
                            || componentHeader.equals(c.getMetadata().getName()))
                .findFirst();
    Optional<String> sageMakerName =
        component
            .map(SageMakerComponentTarget::componentName)
            .or(() -> Optional.ofNullable(componentHeader).filter(h -> !h.isEmpty()));
    Optional<Wake> wake =
        component.flatMap(
            c ->
                policies
                    .getIndexer()
                    .byIndex(
                        BY_TARGET, c.getMetadata().getNamespace() + "/" + c.getMetadata().getName())
                    .stream()
                    .filter(p -> p.getSpec().scaleFromZero() != null)
                    .findFirst()
                    .map(
                        p ->
                            new Wake(
                                Optional.ofNullable(p.getSpec().scaleFromZero().adjustment())
                                    .orElse(1),
                                p.getSpec().maxCapacity(),
                                Duration.ofSeconds(
                                    Optional.ofNullable(
                                            p.getSpec().scaleFromZero().cooldownSeconds())
                                        .orElse(60)))));
    return new SageMaker(
        Optional.ofNullable(endpoint.getSpec().sagemaker())
            .map(InferenceEndpointSpec.SageMaker::region),
        endpointName,
        sageMakerName,
        wake,
        config.maxQueuedRequests(),
        config.coldStartTimeout());
  }

  private static String names(List<InferenceComponent> components) {
    return components.stream()
        .map(SageMakerComponentTarget::componentName)
        .sorted()
        .collect(Collectors.joining(", "));
  }

  private static Optional<ComponentKey> componentOf(Pod pod) {
    return Optional.ofNullable(pod.getMetadata().getLabels())
        .map(l -> l.get(ModelServerWorkload.COMPONENT_LABEL))
        .map(name -> new ComponentKey(pod.getMetadata().getNamespace(), name));
  }

  private static String key(ComponentKey component) {
    return component.namespace() + "/" + component.name();
  }

  /** Not being deleted, and its Ready condition True. */
  static boolean ready(Pod pod) {
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

  @PreDestroy
  void stop() {
    for (SharedIndexInformer<?> informer :
        new SharedIndexInformer<?>[] {endpoints, components, policies, pods}) {
      if (informer != null) {
        informer.close();
      }
    }
  }
}
