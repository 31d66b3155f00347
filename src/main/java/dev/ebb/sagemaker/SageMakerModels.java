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

  /**
   * Models whose names Ebb derived from {@code base} (base plus an 8-hex content hash), by a List
   * call: made once for an endpoint or component whose status predates the record of its models
   * ({@code status.models}); every other pass knows them by name.
   */
  public Set<String> derivedFrom(String base) {
    Pattern derived = SageMakerNames.derivedFrom(base);
    String prefix = SageMakerNames.derivedPrefix(base);
    return Calls.list(
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

  /** Whether model {@code name} exists (DescribeModel; see {@link Calls#describe}). */
  public boolean exists(String name) {
    return Calls.describe("DescribeModel", () -> client.get().describeModel(r -> r.modelName(name)))
        .isPresent();
  }

  /** Deletes model {@code name}; a model already gone is not an error ({@link Calls#delete}). */
  public void delete(String name) {
    Calls.delete(
        "DeleteModel", () -> client.get().deleteModel(r -> r.modelName(name)), () -> exists(name));
  }
}
