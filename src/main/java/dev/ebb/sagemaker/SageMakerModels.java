package dev.ebb.sagemaker;

import dev.ebb.api.v1alpha1.ModelSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.ModelSummary;

/** SageMaker models, shared by endpoints (variant models) and inference components. */
public final class SageMakerModels {
  private final Supplier<SageMakerClient> client;

  public SageMakerModels(Supplier<SageMakerClient> client) {
    this.client = client;
  }

  /** Models whose names Ebb derived from {@code base} (base plus an 8-hex content hash). */
  public Set<String> derivedFrom(String base) {
    Pattern derived = SageMakerNames.derivedFrom(base);
    String prefix = SageMakerNames.derivedPrefix(base);
    return Calls.call(
        "ListModels",
        () ->
            client.get().listModelsPaginator(r -> r.nameContains(prefix)).models().stream()
                .map(ModelSummary::modelName)
                .filter(n -> derived.matcher(n).matches())
                .collect(Collectors.toSet()));
  }

  /** Creates the content-addressed model {@code modelName}, tagged for {@code owner}. */
  public void create(
      String modelName,
      ModelSpec model,
      String executionRoleArn,
      HasMetadata owner,
      Map<String, String> userTags) {
    var request =
        ModelRequests.create(modelName, model, executionRoleArn, OwnerTags.of(owner, userTags));
    Calls.call("CreateModel", () -> client.get().createModel(request));
  }

  public void delete(String name) {
    Calls.call("DeleteModel", () -> client.get().deleteModel(r -> r.modelName(name)));
  }
}
