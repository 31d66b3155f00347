package dev.ebb.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The endpoint state machine, stepped with a manual clock (default delays: 2 s create/update). */
class EndpointLifecycleTest {
  private final SimFixture f = new SimFixture();

  private void classicEndpoint() {
    f.model("m");
    f.classicConfig("cfg", "m");
    f.endpoint("ep", "cfg");
  }

  @Test
  void createsThroughCreatingToInService() {
    classicEndpoint();

    ObjectNode creating = f.describeEndpoint("ep");
    assertThat(creating.get("EndpointStatus").asText()).isEqualTo("Creating");
    assertThat(creating.get("EndpointConfigName").asText()).isEqualTo("cfg");
    assertThat(creating.has("ProductionVariants")).isFalse();

    f.advance(Duration.ofMillis(1999));
    assertThat(f.describeEndpoint("ep").get("EndpointStatus").asText()).isEqualTo("Creating");

    f.advance(Duration.ofMillis(1));
    ObjectNode ready = f.describeEndpoint("ep");
    assertThat(ready.get("EndpointStatus").asText()).isEqualTo("InService");
    ObjectNode variant = (ObjectNode) ready.get("ProductionVariants").get(0);
    assertThat(variant.get("VariantName").asText()).isEqualTo("AllTraffic");
    assertThat(variant.get("CurrentInstanceCount").asInt()).isEqualTo(2);
    assertThat(variant.get("DesiredInstanceCount").asInt()).isEqualTo(2);
    assertThat(variant.get("CurrentWeight").asDouble()).isEqualTo(1.0);
    assertThat(variant.get("DeployedImages").get(0).get("SpecifiedImage").asText())
        .isEqualTo(SimFixture.IMAGE);
    assertThat(variant.get("DeployedImages").get(0).get("ResolvedImage").asText())
        .startsWith("763104351884.dkr.ecr.us-east-1.amazonaws.com/djl-inference@sha256:");
    assertThat(Json.instant(ready.get("LastModifiedTime")))
        .isEqualTo(Json.instant(ready.get("CreationTime")).plusSeconds(2));
  }

  @Test
  void anInjectedCreateFailureEndsInFailedWithTheReason() {
    f.sim.failNextCreate("CreateEndpoint", "Image does not pass the ping health check.");
    classicEndpoint();
    f.advance(Duration.ofSeconds(2));

    ObjectNode failed = f.describeEndpoint("ep");
    assertThat(failed.get("EndpointStatus").asText()).isEqualTo("Failed");
    assertThat(failed.get("FailureReason").asText())
        .isEqualTo("Image does not pass the ping health check.");
    assertThat(failed.has("ProductionVariants")).isFalse();

    // Only the next create fails.
    f.endpoint("ep2", "cfg");
    f.advance(Duration.ofSeconds(2));
    assertThat(f.describeEndpoint("ep2").get("EndpointStatus").asText()).isEqualTo("InService");
  }

  @Test
  void anImageRuleFailsEveryEndpointRunningThatImage() {
    f.sim.faults().failImage("broken", "The container exited with code 1.");
    f.model("bad", "example.com/broken:1");
    f.classicConfig("cfg", "bad");
    f.endpoint("ep", "cfg");
    f.advance(Duration.ofSeconds(2));
    assertThat(f.sim.region("us-east-1").endpoint("ep").failureReason())
        .isEqualTo("The container exited with code 1.");
  }

  @Test
  void anUpdateServesTheOldConfigUntilItCompletes() {
    classicEndpoint();
    f.advance(Duration.ofSeconds(2));
    f.call(
        "CreateEndpointConfig",
        """
        {"EndpointConfigName": "cfg2",
         "ProductionVariants": [{"VariantName": "AllTraffic", "ModelName": "m",
           "InstanceType": "ml.c5.xlarge", "InitialInstanceCount": 3}]}
        """);
    f.call(
        "UpdateEndpoint",
        """
        {"EndpointName": "ep", "EndpointConfigName": "cfg2",
         "DeploymentConfig": {"BlueGreenUpdatePolicy": {
           "TrafficRoutingConfiguration": {"Type": "CANARY", "WaitIntervalInSeconds": 600,
             "CanarySize": {"Type": "CAPACITY_PERCENT", "Value": 10}},
           "TerminationWaitInSeconds": 120}}}
        """);

    ObjectNode updating = f.describeEndpoint("ep");
    assertThat(updating.get("EndpointStatus").asText()).isEqualTo("Updating");
    assertThat(updating.get("EndpointConfigName").asText()).isEqualTo("cfg");
    assertThat(updating.get("ProductionVariants").get(0).get("CurrentInstanceCount").asInt())
        .isEqualTo(2);
    assertThat(updating.at("/PendingDeploymentSummary/EndpointConfigName").asText())
        .isEqualTo("cfg2");
    assertThat(updating.at("/PendingDeploymentSummary/ProductionVariants/0/InstanceType").asText())
        .isEqualTo("ml.c5.xlarge");

    AwsError busy =
        f.error("UpdateEndpoint", "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"cfg\"}");
    assertThat(busy.getMessage())
        .isEqualTo(
            "Cannot update in-progress endpoint"
                + " \"arn:aws:sagemaker:us-east-1:123456789012:endpoint/ep\".");

    f.advance(Duration.ofSeconds(2));
    ObjectNode updated = f.describeEndpoint("ep");
    assertThat(updated.get("EndpointStatus").asText()).isEqualTo("InService");
    assertThat(updated.get("EndpointConfigName").asText()).isEqualTo("cfg2");
    assertThat(updated.get("ProductionVariants").get(0).get("CurrentInstanceCount").asInt())
        .isEqualTo(3);
    assertThat(updated.has("PendingDeploymentSummary")).isFalse();
    assertThat(
            updated
                .at("/LastDeploymentConfig/BlueGreenUpdatePolicy/TerminationWaitInSeconds")
                .asInt())
        .isEqualTo(120);
  }

  @Test
  void retainAllVariantPropertiesKeepsLiveCountsAndWeights() {
    classicEndpoint();
    f.advance(Duration.ofSeconds(2));
    f.call(
        "UpdateEndpointWeightsAndCapacities",
        """
        {"EndpointName": "ep", "DesiredWeightsAndCapacities":
          [{"VariantName": "AllTraffic", "DesiredInstanceCount": 5, "DesiredWeight": 0.5}]}
        """);
    f.advance(Duration.ofSeconds(2));
    f.classicConfig("cfg2", "m");
    f.call(
        "UpdateEndpoint",
        """
        {"EndpointName": "ep", "EndpointConfigName": "cfg2", "RetainAllVariantProperties": true,
         "ExcludeRetainedVariantProperties": [{"VariantPropertyType": "DesiredWeight"}]}
        """);
    f.advance(Duration.ofSeconds(2));

    Snapshot.Variant variant =
        f.sim.region("us-east-1").endpoint("ep").variants().get("AllTraffic");
    assertThat(variant.currentInstanceCount()).isEqualTo(5);
    assertThat(variant.currentWeight()).isEqualTo(1.0);
  }

  @Test
  void aFailedUpdateRollsBackToTheOldConfigWithAReason() {
    classicEndpoint();
    f.advance(Duration.ofSeconds(2));
    f.classicConfig("cfg2", "m");
    f.sim.faults().failNextUpdate("UpdateEndpoint", "Insufficient capacity for ml.m5.xlarge.");
    f.call("UpdateEndpoint", "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"cfg2\"}");
    f.advance(Duration.ofSeconds(2));
    assertThat(f.sim.region("us-east-1").endpoint("ep").status()).isEqualTo("RollingBack");
    f.advance(Duration.ofSeconds(2));

    Snapshot.Endpoint ep = f.sim.region("us-east-1").endpoint("ep");
    assertThat(ep.status()).isEqualTo("InService");
    assertThat(ep.configName()).isEqualTo("cfg");
    assertThat(ep.failureReason()).isEqualTo("Insufficient capacity for ml.m5.xlarge.");
  }

  @Test
  void aRollbackAlarmInAlarmRollsTheDeploymentBackAndNamesIt() {
    classicEndpoint();
    f.advance(Duration.ofSeconds(2));
    f.classicConfig("cfg2", "m");
    f.call(
        "PutMetricAlarm",
        """
        {"AlarmName": "ep-5xx", "Namespace": "AWS/SageMaker", "MetricName": "Invocation5XXErrors",
         "Statistic": "Sum", "Period": 60, "EvaluationPeriods": 1, "Threshold": 1,
         "ComparisonOperator": "GreaterThanOrEqualToThreshold"}
        """);
    f.call(
        "UpdateEndpoint",
        """
        {"EndpointName": "ep", "EndpointConfigName": "cfg2", "DeploymentConfig":
          {"AutoRollbackConfiguration": {"Alarms": [{"AlarmName": "ep-5xx"}]}}}
        """);
    f.call(
        "SetAlarmState",
        "{\"AlarmName\": \"ep-5xx\", \"StateValue\": \"ALARM\", \"StateReason\": \"test\"}");
    f.advance(Duration.ofSeconds(4));

    Snapshot.Endpoint ep = f.sim.region("us-east-1").endpoint("ep");
    assertThat(ep.status()).isEqualTo("InService");
    assertThat(ep.configName()).isEqualTo("cfg");
    assertThat(ep.failureReason()).contains("ep-5xx");
  }

  @Test
  void aRollbackThatFailsLeavesUpdateRollbackFailedAndAnotherUpdateRemediesIt() {
    classicEndpoint();
    f.advance(Duration.ofSeconds(2));
    f.classicConfig("cfg2", "m");
    f.classicConfig("cfg3", "m");
    f.sim.faults().failNextUpdate("UpdateEndpoint", "Insufficient capacity.");
    f.sim.faults().failNextRollback("Rollback failed: insufficient capacity.");
    f.call("UpdateEndpoint", "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"cfg2\"}");
    f.advance(Duration.ofSeconds(2));
    assertThat(f.sim.region("us-east-1").endpoint("ep").status()).isEqualTo("UpdateRollbackFailed");

    f.call("UpdateEndpoint", "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"cfg3\"}");
    f.advance(Duration.ofSeconds(2));

    Snapshot.Endpoint ep = f.sim.region("us-east-1").endpoint("ep");
    assertThat(ep.status()).isEqualTo("InService");
    assertThat(ep.configName()).isEqualTo("cfg3");
  }

  @Test
  void weightsMoveFromDesiredToCurrentWhenTheUpdateCompletes() {
    f.model("a");
    f.model("b");
    f.call(
        "CreateEndpointConfig",
        """
        {"EndpointConfigName": "ab", "ProductionVariants": [
          {"VariantName": "A", "ModelName": "a", "InstanceType": "ml.m5.large",
           "InitialInstanceCount": 1, "InitialVariantWeight": 0.9},
          {"VariantName": "B", "ModelName": "b", "InstanceType": "ml.m5.large",
           "InitialInstanceCount": 1, "InitialVariantWeight": 0.1}]}
        """);
    f.endpoint("ep", "ab");
    f.advance(Duration.ofSeconds(2));
    f.call(
        "UpdateEndpointWeightsAndCapacities",
        """
        {"EndpointName": "ep", "DesiredWeightsAndCapacities": [
          {"VariantName": "A", "DesiredWeight": 0.5}, {"VariantName": "B", "DesiredWeight": 0.5}]}
        """);

    ObjectNode updating = f.describeEndpoint("ep");
    assertThat(updating.get("EndpointStatus").asText()).isEqualTo("Updating");
    assertThat(updating.at("/ProductionVariants/1/CurrentWeight").asDouble()).isEqualTo(0.1);
    assertThat(updating.at("/ProductionVariants/1/DesiredWeight").asDouble()).isEqualTo(0.5);

    f.advance(Duration.ofSeconds(2));
    ObjectNode done = f.describeEndpoint("ep");
    assertThat(done.get("EndpointStatus").asText()).isEqualTo("InService");
    assertThat(done.at("/ProductionVariants/1/CurrentWeight").asDouble()).isEqualTo(0.5);
  }

  @Test
  void deletingGoesThroughDeletingThenTheEndpointIsGone() {
    classicEndpoint();
    f.advance(Duration.ofSeconds(2));
    f.call("DeleteEndpoint", "{\"EndpointName\":\"ep\"}");
    assertThat(f.describeEndpoint("ep").get("EndpointStatus").asText()).isEqualTo("Deleting");

    f.advance(Duration.ofSeconds(1));
    AwsError gone = f.error("DescribeEndpoint", "{\"EndpointName\":\"ep\"}");
    assertThat(gone.code()).isEqualTo("ValidationException");
    assertThat(gone.getMessage())
        .isEqualTo(
            "Could not find endpoint \"arn:aws:sagemaker:us-east-1:123456789012:endpoint/ep\".");
    // Its config is free again.
    f.call("DeleteEndpointConfig", "{\"EndpointConfigName\":\"cfg\"}");
  }

  @Test
  void deletingWhileCreatingCancelsTheCreation() {
    classicEndpoint();
    f.call("DeleteEndpoint", "{\"EndpointName\":\"ep\"}");
    f.advance(Duration.ofSeconds(1));
    assertThat(f.sim.region("us-east-1").endpoints()).isEmpty();
    f.advance(Duration.ofSeconds(5));
    assertThat(f.sim.region("us-east-1").endpoints()).isEmpty();
  }
}
