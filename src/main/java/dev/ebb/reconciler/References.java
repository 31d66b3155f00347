package dev.ebb.reconciler;

import dev.ebb.config.PrunedItemStore;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Watches a kind that primaries reference by name (an InferenceComponent's endpointRef, a
 * ScalingPolicy's targetRef) and wakes exactly the primaries that reference a changed object,
 * through an index on the primary cache rather than a scan. The same mapping lets the reconciler
 * read the referenced object from the informer cache with {@code
 * context.getSecondaryResource(type)}.
 */
public final class References {
  private References() {}

  /**
   * An event source for {@code referenced}, where {@code nameOf} gives the name a primary
   * references (empty when the primary references no object of that kind). Same namespace only.
   */
  public static <P extends HasMetadata, S extends HasMetadata> InformerEventSource<S, P> to(
      Class<S> referenced, EventSourceContext<P> context, Function<P, Optional<String>> nameOf) {
    String index = "references-" + referenced.getSimpleName();
    context
        .getPrimaryCache()
        .addIndexer(
            index,
            p ->
                nameOf
                    .apply(p)
                    .map(n -> List.of(key(p.getMetadata().getNamespace(), n)))
                    .orElse(List.of()));
    PrimaryToSecondaryMapper<P> primaryToReferenced =
        p ->
            nameOf
                .apply(p)
                .map(n -> Set.of(new ResourceID(n, p.getMetadata().getNamespace())))
                .orElse(Set.of());
    var config =
        InformerEventSourceConfiguration.from(referenced, context.getPrimaryResourceClass())
            .withName(index)
            .withItemStore(new PrunedItemStore<>())
            .withSecondaryToPrimaryMapper(
                s ->
                    context
                        .getPrimaryCache()
                        .byIndex(
                            index, key(s.getMetadata().getNamespace(), s.getMetadata().getName()))
                        .stream()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .withPrimaryToSecondaryMapper(primaryToReferenced)
            .build();
    return new InformerEventSource<>(config, context);
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
