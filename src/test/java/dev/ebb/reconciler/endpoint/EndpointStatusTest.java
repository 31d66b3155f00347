package dev.ebb.reconciler.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.InferenceEndpointStatus;
import dev.ebb.reconciler.Reasons;
import dev.ebb.sagemaker.AwsErrorKind;
import dev.ebb.sagemaker.AwsFailure;
import dev.ebb.sagemaker.SageMakerEndpoints;
import dev.ebb.testing.Manifests;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointStatusTest {
  @Test
  void aLocalEndpointIsReadyAtTheGatewaysUrl() {
    InferenceEndpoint endpoint =
        Manifests.parse(
            InferenceEndpoint.class,
            """
            apiVersion: ebb.dev/v1alpha1
            kind: InferenceEndpoint
            metadata: {name: llm}
            spec:
              backend: local
              variants: [{name: AllTraffic}]
            """,
            4);

    var status =
        EndpointStatus.local(
            endpoint,
            "ml-llm-0a1b2c3d",
            "http://gw/endpoints/ml-llm-0a1b2c3d/invocations",
            List.of(component("llama", "AllTraffic", "Serving", "True", null)),
            Optional.empty(),
            Instant.EPOCH);

    assertThat(status.observedGeneration()).isEqualTo(4L);
    assertThat(status.state()).isEqualTo("Serving");
    assertThat(status.url()).isEqualTo("http://gw/endpoints/ml-llm-0a1b2c3d/invocations");
    assertThat(status.condition(Condition.READY))
        .returns("True", Condition::status)
        .returns(Reasons.ROUTED, Condition::reason);
    assertThat(status.condition(Condition.READY).message()).contains("POST http://gw/endpoints/");
  }

  /**
   * What Ebb made in SageMaker (status.models, status.endpointConfigs) is the only record of it:
   * every status that does not look at SageMaker keeps it, or a later teardown would orphan it.
   */
  @Test
  void everyStatusThatDoesNotLookAtSageMakerKeepsWhatEbbMade() {
    InferenceEndpoint endpoint =
        Manifests.parse(
            InferenceEndpoint.class,
            """
            apiVersion: ebb.dev/v1alpha1
            kind: InferenceEndpoint
            metadata: {name: llm, uid: 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0}
            spec:
              backend: sagemaker
              variants: [{name: AllTraffic, instanceType: ml.g5.2xlarge}]
            """,
            2);
    var previous = withLastDeployed("cfg-1");
    endpoint.setStatus(
        new InferenceEndpointStatus(
            previous.observedGeneration(),
            previous.conditions(),
            previous.state(),
            previous.endpointName(),
            previous.endpointArn(),
            previous.endpointStatus(),
            previous.failureReason(),
            previous.endpointConfigName(),
            previous.lastDeployedConfigName(),
            previous.url(),
            previous.variants(),
            previous.access(),
            previous.retry(),
            List.of("ep-model-1"),
            List.of("cfg-1")));

    for (InferenceEndpointStatus status :
        List.of(
            EndpointStatus.roleMissing(endpoint, Instant.EPOCH),
            EndpointStatus.deleting(endpoint, List.of("llama"), Optional.empty(), Instant.EPOCH),
            EndpointStatus.withAccessSecretMissing(
                endpoint, endpoint.getStatus(), "keys", Instant.EPOCH))) {
      assertThat(status.models()).containsExactly("ep-model-1");
      assertThat(status.endpointConfigs()).containsExactly("cfg-1");
    }
    assertThat(EndpointStatus.provisioned(endpoint)).isTrue();
  }

  /**
   * The memory that keeps a rolled-back config from being deployed again: taken from this pass's
   * deployment, else from a deployment in progress (which survives a crash before the status
   * patch), else kept.
   */
  @Test
  void lastDeployedComesFromThePassThenThePendingDeploymentThenThePreviousStatus() {
    var previous = withLastDeployed("cfg-1");
    var described =
        new SageMakerEndpoints.EndpointDescription(
            "arn", "Updating", "cfg-1", null, Map.of(), "cfg-3");
    var idle =
        new SageMakerEndpoints.EndpointDescription("arn", "InService", "cfg-1", null, Map.of());

    assertThat(
            EndpointStatus.lastDeployed(
                previous,
                outcome(new EndpointPlan.UpdateEndpoint("cfg-2"), Optional.of(idle), false)))
        .isEqualTo("cfg-2");
    assertThat(
            EndpointStatus.lastDeployed(
                previous,
                outcome(new EndpointPlan.UpdateEndpoint("cfg-2"), Optional.of(idle), true)))
        .as("the UpdateEndpoint call itself failed")
        .isEqualTo("cfg-1");
    assertThat(
            EndpointStatus.lastDeployed(
                null, outcome(new EndpointPlan.Wait("Updating"), Optional.of(described), false)))
        .isEqualTo("cfg-3");
    assertThat(
            EndpointStatus.lastDeployed(
                previous, outcome(new EndpointPlan.InSync(), Optional.of(idle), false)))
        .isEqualTo("cfg-1");
  }

  /**
   * The ARN, which the gateway needs before it invokes an endpoint, is recorded only once the
   * endpoint is known to be the object's: never for someone else's, kept through a failed pass.
   */
  @Test
  void theArnIsRecordedOnlyForAnEndpointTheObjectOwns() {
    var previous =
        new InferenceEndpointStatus(
            1L,
            List.of(),
            "InService",
            "ep",
            "arn:old",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    var described =
        new SageMakerEndpoints.EndpointDescription("arn:now", "InService", "cfg", null, Map.of());

    assertThat(
            EndpointStatus.verifiedArn(
                previous, outcome(new EndpointPlan.InSync(), Optional.of(described), false)))
        .isEqualTo("arn:now");
    assertThat(
            EndpointStatus.verifiedArn(
                null, outcome(new EndpointPlan.NotOwned("ep"), Optional.of(described), false)))
        .as("someone else's endpoint")
        .isNull();
    assertThat(
            EndpointStatus.verifiedArn(
                previous, outcome(new EndpointPlan.InSync(), Optional.empty(), true)))
        .as("AWS failed before the endpoint was described")
        .isEqualTo("arn:old");
    assertThat(
            EndpointStatus.verifiedArn(
                null, outcome(new EndpointPlan.InSync(), Optional.empty(), false)))
        .isNull();
  }

  private static SageMakerEndpointConverger.Outcome outcome(
      EndpointPlan.Step last,
      Optional<SageMakerEndpoints.EndpointDescription> endpoint,
      boolean failed) {
    return new SageMakerEndpointConverger.Outcome(
        last,
        !failed,
        endpoint,
        failed
            ? Optional.of(
                new AwsFailure(
                    AwsErrorKind.SERVICE_ERROR, "InternalFailure", "boom", "UpdateEndpoint"))
            : Optional.empty(),
        SageMakerEndpointConverger.Made.NONE,
        false,
        false);
  }

  private static InferenceEndpointStatus withLastDeployed(String config) {
    return new InferenceEndpointStatus(
        1L,
        List.of(),
        "InService",
        "ep",
        null,
        "InService",
        null,
        "cfg-1",
        config,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /** A local endpoint is Ready only when every variant serves or a policy put it to sleep. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no component               | -                                   | Pending      | False | VariantNotServing | False | VariantNotServing",
        "one serving                | Serving/True                        | Serving      | True  | Routed            | False | Routed",
        "starting                   | Pending/False                       | Pending      | False | VariantNotServing | False | VariantNotServing",
        "asleep by its policy       | ScaledToZero/True/WakesOnRequest    | ScaledToZero | True  | Routed            | True | ScaledToZero",
        "parked by a schedule       | ScaledToZero/True/ParkedBySchedule  | ScaledToZero | True  | Routed            | True | ScaledToZero",
        "zero copies and no policy  | ScaledToZero/True/NoScalingPolicy   | Pending      | False | VariantNotServing | False | VariantNotServing",
        "one serves, one sleeps     | Serving/True,ScaledToZero/True/WakesOnRequest | Serving | True | Routed    | False | Routed",
      })
  void aLocalEndpointIsReadyOnlyWhenEveryVariantServes(
      String why,
      String components,
      String state,
      String ready,
      String reason,
      String asleep,
      String asleepReason) {
    InferenceEndpoint endpoint = localEndpoint("AllTraffic");
    List<InferenceComponent> placed = new java.util.ArrayList<>();
    if (!components.equals("-")) {
      int i = 0;
      for (String c : components.split(",")) {
        String[] parts = c.split("/");
        placed.add(
            component(
                "c" + i++, "AllTraffic", parts[0], parts[1], parts.length > 2 ? parts[2] : null));
      }
    }

    var status = EndpointStatus.local(endpoint, "llm", "http://gw", placed, Optional.empty(), NOW);

    assertThat(status.state()).as(why).isEqualTo(state);
    assertThat(status.condition(Condition.READY).status()).as(why).isEqualTo(ready);
    assertThat(status.condition(Condition.READY).reason()).as(why).isEqualTo(reason);
    assertThat(status.condition(Condition.SCALED_TO_ZERO).status()).as(why).isEqualTo(asleep);
    assertThat(status.condition(Condition.SCALED_TO_ZERO).reason()).as(why).isEqualTo(asleepReason);
  }

  @Test
  void aVariantWithoutComponentIsNamed() {
    InferenceEndpoint endpoint = localEndpoint("blue", "green");
    var status =
        EndpointStatus.local(
            endpoint,
            "llm",
            "http://gw",
            List.of(component("a", "blue", "Serving", "True", null)),
            Optional.empty(),
            NOW);
    assertThat(status.condition(Condition.READY).message())
        .isEqualTo("variant green has no InferenceComponent.");
  }

  @Test
  void anAccessSecretThatDoesNotExistIsSaidInsteadOfReady() {
    InferenceEndpoint endpoint = localEndpoint("AllTraffic");
    var status =
        EndpointStatus.local(
            endpoint,
            "llm",
            "http://gw",
            List.of(component("a", "AllTraffic", "Serving", "True", null)),
            Optional.of("llm-keys"),
            NOW);
    assertThat(status.condition(Condition.READY))
        .returns("False", Condition::status)
        .returns(Reasons.ACCESS_SECRET_NOT_FOUND, Condition::reason);
    assertThat(status.condition(Condition.READY).message()).contains("Secret llm-keys");
  }

  @Test
  void aSageMakerEndpointInServiceIsNotReadyWhileItsAccessSecretIsMissing() {
    InferenceEndpoint endpoint = localEndpoint("AllTraffic");
    var inService =
        EndpointStatus.local(
            endpoint,
            "llm",
            "http://gw",
            List.of(component("a", "AllTraffic", "Serving", "True", null)),
            Optional.empty(),
            NOW);

    var told = EndpointStatus.withAccessSecretMissing(endpoint, inService, "llm-keys", NOW);

    assertThat(told.condition(Condition.READY))
        .returns("False", Condition::status)
        .returns(Reasons.ACCESS_SECRET_NOT_FOUND, Condition::reason);
    assertThat(told.url()).isEqualTo(inService.url());
    assertThat(told.state()).isEqualTo(inService.state());
  }

  private static InferenceEndpoint localEndpoint(String... variants) {
    return Manifests.parse(
        InferenceEndpoint.class,
        """
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceEndpoint
        metadata: {name: llm}
        spec:
          backend: local
          variants: [%s]
        """
            .formatted(
                String.join(
                    ", ",
                    java.util.Arrays.stream(variants).map(v -> "{name: " + v + "}").toList())),
        1);
  }

  private static final Instant NOW = Instant.parse("2026-12-07T00:00:00Z");

  private static InferenceComponent component(
      String name, String variant, String state, String ready, String asleepReason) {
    InferenceComponent c =
        Manifests.parse(
            InferenceComponent.class,
            """
            apiVersion: ebb.dev/v1alpha1
            kind: InferenceComponent
            metadata: {name: %s}
            spec:
              endpointRef: {name: llm}
              variant: %s
              model: {image: 'ghcr.io/example/m:1'}
              resources: {memoryMb: 512}
            """
                .formatted(name, variant),
            1);
    List<Condition> conditions = new java.util.ArrayList<>();
    conditions.add(new Condition(Condition.READY, ready, 1L, NOW.toString(), "X", "x"));
    if (asleepReason != null) {
      conditions.add(
          new Condition(Condition.SCALED_TO_ZERO, "True", 1L, NOW.toString(), asleepReason, "x"));
    }
    c.setStatus(
        new dev.ebb.api.v1alpha1.InferenceComponentStatus(
            1L, conditions, state, null, null, null, null, null, null, null, null, null, null));
    return c;
  }
}
