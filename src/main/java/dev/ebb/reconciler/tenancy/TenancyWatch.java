package dev.ebb.reconciler.tenancy;

import dev.ebb.config.ClusterConfig;
import dev.ebb.config.PrunedItemStore;
import dev.ebb.config.TenancyConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The tenancy ConfigMap as one reconciler sees it: watched (that one ConfigMap, by a field selector
 * on its name, so the chart's Role can name it) and, on any change, every object of the reconciler
 * is reconciled again, so a grant or a revocation applies without a restart.
 */
public final class TenancyWatch<P extends HasMetadata> {
  private final boolean enabled;
  private final String name;
  private final Optional<String> configuredNamespace;
  private String namespace;
  private InformerEventSource<ConfigMap, P> informer;

  /** The last ConfigMap parsed, by resourceVersion, so an unchanged one is not parsed again. */
  private volatile Parsed parsed;

  private record Parsed(String resourceVersion, Rights rights) {}

  public TenancyWatch(TenancyConfig tenancy, ClusterConfig cluster) {
    this.enabled = tenancy.enabled();
    this.name = tenancy.configMap();
    this.configuredNamespace = tenancy.namespace().or(cluster::namespace);
  }

  /** The ConfigMap's event source, when tenancy is on. */
  public Optional<EventSource<?, P>> eventSource(EventSourceContext<P> context) {
    if (!enabled) {
      return Optional.empty();
    }
    namespace = configuredNamespace.orElseGet(() -> context.getClient().getNamespace());
    if (namespace == null) {
      return Optional.empty();
    }
    var primaries = context.getPrimaryCache();
    informer =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(
                    ConfigMap.class, context.getPrimaryResourceClass())
                .withName("tenancy")
                .withItemStore(new PrunedItemStore<>())
                .withNamespaces(Set.of(namespace))
                .withFieldSelector(
                    new FieldSelector(new FieldSelector.Field("metadata.name", name)))
                // Every object's rights may have changed.
                .withSecondaryToPrimaryMapper(
                    configMap ->
                        primaries.list().map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(),
            context);
    return Optional.of(informer);
  }

  /** The rights in force now. */
  public Rights rights() {
    if (!enabled) {
      return Rights.UNRESTRICTED;
    }
    String source = (namespace == null ? "(Ebb's namespace: unknown)" : namespace) + "/" + name;
    if (informer == null) {
      return new Rights.Unavailable(source, "cannot be watched: Ebb's namespace is unknown");
    }
    Optional<ConfigMap> configMap = informer.get(new ResourceID(name, namespace));
    if (configMap.isEmpty()) {
      return new Rights.Unavailable(source, "does not exist");
    }
    String version = configMap.get().getMetadata().getResourceVersion();
    Parsed last = parsed;
    if (last != null && Objects.equals(last.resourceVersion(), version)) {
      return last.rights();
    }
    Rights rights;
    String yaml =
        configMap.get().getData() == null ? null : configMap.get().getData().get(TenancyRules.KEY);
    if (yaml == null) {
      rights = new Rights.Unavailable(source, "has no key " + TenancyRules.KEY);
    } else {
      try {
        rights = new Rights.Granted(source, TenancyRules.parse(yaml));
      } catch (IllegalArgumentException e) {
        rights = new Rights.Unavailable(source, "cannot be read: " + e.getMessage());
      }
    }
    parsed = new Parsed(version, rights);
    return rights;
  }
}
