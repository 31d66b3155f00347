package dev.ebb.sagemaker;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sagemaker.model.Tag;

/**
 * Tags Ebb puts on every AWS resource it creates: the owning Kubernetes object's UID (which tells a
 * re-created object of the same name from the old one), kind, namespace and name, then the user's
 * own tags. The {@code ebb.dev/} prefix is reserved for Ebb at admission.
 */
public final class OwnerTags {
  private OwnerTags() {}

  public static final String UID = "ebb.dev/uid";
  public static final String KIND = "ebb.dev/kind";
  public static final String NAMESPACE = "ebb.dev/namespace";
  public static final String NAME = "ebb.dev/name";

  /** Ebb's ownership tags for {@code owner}, then the user's tags, as SageMaker tags. */
  public static List<Tag> of(HasMetadata owner, Map<String, String> userTags) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(UID, owner.getMetadata().getUid());
    tags.put(KIND, owner.getKind());
    tags.put(NAMESPACE, owner.getMetadata().getNamespace());
    tags.put(NAME, owner.getMetadata().getName());
    if (userTags != null) {
      userTags.forEach(tags::putIfAbsent);
    }
    List<Tag> result = new ArrayList<>();
    tags.forEach((k, v) -> result.add(Tag.builder().key(k).value(v).build()));
    return result;
  }

  /** Whether a resource with these tags was created for {@code owner} (same UID). */
  public static boolean ownedBy(List<Tag> tags, HasMetadata owner) {
    return tags.stream()
        .anyMatch(t -> UID.equals(t.key()) && owner.getMetadata().getUid().equals(t.value()));
  }
}
