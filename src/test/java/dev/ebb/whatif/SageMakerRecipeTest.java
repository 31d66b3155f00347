package dev.ebb.whatif;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.api.v1alpha1.EffectivePolicy;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.sagemaker.SageMakerScaling;
import dev.ebb.sagemaker.ScalingRecipes;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;

/**
 * The objects what-if runs for backend sagemaker are the operator's own recipe ({@link
 * ScalingRecipes}), in the shape AWS receives them: for every policy and scheduled action, the JSON
 * what-if builds equals the body the AWS SDK marshals when the operator's {@link SageMakerScaling}
 * sends it (captured before it leaves the JVM).
 */
class SageMakerRecipeTest {
  static final Path SAMPLE = Path.of("config/samples/llm-scale-to-zero.yaml");

  /** The request bodies the SDK marshalled; each call is stopped before it is sent. */
  static final class Captured implements ExecutionInterceptor {
    final List<JsonNode> bodies = new ArrayList<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes a) {
      try (InputStream in =
          context.requestBody().orElseThrow().contentStreamProvider().newStream()) {
        bodies.add(new ObjectMapper().readTree(in));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      throw new Stop();
    }
  }

  static final class Stop extends RuntimeException {
    Stop() {
      super("captured", null, false, false);
    }
  }

  @Test
  void policiesAndScheduledActionsAreWhatTheOperatorSendsToApplicationAutoScaling()
      throws IOException {
    Manifests manifests = new Manifests();
    try (Reader in = Files.newBufferedReader(SAMPLE)) {
      manifests.read(SAMPLE.toString(), in);
    }
    ScalingPolicy policy = manifests.policies().get(0);
    ScalingRecipes.Target target = ScalingRecipes.Target.component("llama3-8b", "llama3");
    ScalingRecipes.Desired desired =
        ScalingRecipes.of(EffectivePolicy.of(policy.getSpec()), target, "ebb-what-if");
    Instant created = Instant.parse("2026-12-01T00:00:00Z");

    SageMakerRecipe recipe = SageMakerRecipe.of(desired, created);

    Captured captured = new Captured();
    try (ApplicationAutoScalingClient client =
        ApplicationAutoScalingClient.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(URI.create("http://127.0.0.1:9"))
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
            .overrideConfiguration(
                o -> o.addExecutionInterceptor(captured).retryStrategy(r -> r.maxAttempts(1)))
            .build()) {
      SageMakerScaling scaling = new SageMakerScaling(() -> client, () -> null);
      for (ScalingRecipes.DesiredPolicy p : desired.policies()) {
        send(() -> scaling.putPolicy(target, p));
      }
      for (ScalingRecipes.DesiredAction a : desired.actions()) {
        send(() -> scaling.putAction(target, a));
      }
    }

    assertThat(recipe.policies()).hasSize(2);
    assertThat(recipe.actions()).hasSize(2);
    assertThat(captured.bodies).hasSize(4);
    for (int i = 0; i < recipe.policies().size(); i++) {
      ObjectNode ours = recipe.policies().get(i);
      JsonNode sent = captured.bodies.get(i);
      assertThat(
              sent.has("TargetTrackingScalingPolicyConfiguration")
                  || sent.has("StepScalingPolicyConfiguration"))
          .as(sent.toString())
          .isTrue();
      for (String member :
          List.of(
              "PolicyName",
              "PolicyType",
              "ResourceId",
              "ScalableDimension",
              "TargetTrackingScalingPolicyConfiguration",
              "StepScalingPolicyConfiguration")) {
        assertThat(ours.get(member)).as(member).isEqualTo(sent.get(member));
      }
    }
    for (int i = 0; i < recipe.actions().size(); i++) {
      ObjectNode ours = recipe.actions().get(i);
      JsonNode sent = captured.bodies.get(recipe.policies().size() + i);
      assertThat(sent.path("ScalableTargetAction").isObject()).as(sent.toString()).isTrue();
      for (String member :
          List.of(
              "ScheduledActionName",
              "Schedule",
              "Timezone",
              "StartTime",
              "EndTime",
              "ScalableTargetAction")) {
        assertThat(ours.get(member)).as(member).isEqualTo(sent.get(member));
      }
    }
    // Target tracking's two alarms (Application Auto Scaling's), and the recipe's own that wakes
    // the component from zero, each invoking its policy.
    assertThat(recipe.alarms())
        .extracting(a -> a.path("MetricName").asText())
        .containsExactlyInAnyOrder(
            "ConcurrentRequestsPerCopy",
            "ConcurrentRequestsPerCopy",
            "NoCapacityInvocationFailures");
    assertThat(recipe.alarms())
        .allSatisfy(
            a ->
                assertThat(
                        recipe.policies().stream().map(p -> p.path("PolicyARN").asText()).toList())
                    .contains(a.path("AlarmActions").get(0).asText()));
  }

  private static void send(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException expected) {
      // Stopped by the interceptor once the body was captured.
    }
  }
}
