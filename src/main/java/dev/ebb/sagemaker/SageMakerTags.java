package dev.ebb.sagemaker;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.Tag;

/**
 * Ownership of SageMaker resources whose names a user chose (and which may therefore exist before
 * Ebb): read from and written to the {@code ebb.dev/*} tags, for endpoints and inference components
 * alike.
 */
public final class SageMakerTags {
  private final Supplier<SageMakerClient> client;

  public SageMakerTags(Supplier<SageMakerClient> client) {
    this.client = client;
  }

  /** Whether the resource {@code arn} is tagged as the object {@code uid}'s. */
  public boolean ownedBy(String arn, String uid) {
    return ownerUid(arn).map(uid::equals).orElse(false);
  }

  /** The {@code ebb.dev/uid} tag of the resource {@code arn}: which object owns it, if any. */
  public Optional<String> ownerUid(String arn) {
    return Calls.call(
        "ListTags",
        () ->
            client.get().listTagsPaginator(r -> r.resourceArn(arn)).tags().stream()
                .filter(t -> OwnerTags.UID.equals(t.key()))
                .map(Tag::value)
                .findFirst());
  }

  /** Takes over the resource {@code arn} for {@code owner} by tagging it as the owner's. */
  public void adopt(String arn, HasMetadata owner, Map<String, String> userTags) {
    List<Tag> tags = OwnerTags.of(owner, userTags);
    Calls.call("AddTags", () -> client.get().addTags(r -> r.resourceArn(arn).tags(tags)));
  }
}
