package dev.ebb.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.simulator.model.Botocore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What SageMaker refuses, and how it says so. */
class ValidationTest {
  private final SimFixture f = new SimFixture(Delays.none());

  @Test
  void missingRequiredMembersAreReportedLikeSageMakersFrontEnd() {
    AwsError e = f.error("CreateEndpoint", "{}");
    assertThat(e.code()).isEqualTo("ValidationException");
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.getMessage())
        .isEqualTo(
            "2 validation errors detected: Value null at 'endpointName' failed to satisfy"
                + " constraint: Member must not be null; Value null at 'endpointConfigName'"
                + " failed to satisfy constraint: Member must not be null");
  }

  @Test
  void namesMustMatchThePattern() {
    AwsError e = f.error("DescribeEndpoint", "{\"EndpointName\":\"bad_name\"}");
    assertThat(e.getMessage())
        .isEqualTo(
            "1 validation error detected: Value 'bad_name' at 'endpointName' failed to satisfy"
                + " constraint: Member must satisfy regular expression pattern:"
                + " [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");
  }

  @Test
  void unknownInstanceTypeIsRefusedWithTheEnumSet() {
    f.model("m");
    AwsError e =
        f.error(
            "CreateEndpointConfig",
            """
            {"EndpointConfigName": "c", "ProductionVariants": [{"VariantName": "v",
              "ModelName": "m", "InstanceType": "ml.g5.3xlarge", "InitialInstanceCount": 1}]}
            """);
    assertThat(e.getMessage())
        .startsWith(
            "1 validation error detected: Value 'ml.g5.3xlarge' at"
                + " 'productionVariants.1.member.instanceType' failed to satisfy constraint:"
                + " Member must satisfy enum value set: [ml.t2.medium,")
        .contains("ml.g5.2xlarge", "ml.g6.12xlarge", "ml.p4d.24xlarge", "ml.inf2.xlarge");
  }

  @Test
  void routingStrategiesAreTheModelsEnum() {
    AwsError e =
        f.error(
            "CreateEndpointConfig",
            """
            {"EndpointConfigName": "c", "ExecutionRoleArn": "%s", "ProductionVariants": [{
              "VariantName": "v", "InstanceType": "ml.g5.2xlarge", "InitialInstanceCount": 1,
              "RoutingConfig": {"RoutingStrategy": "PREFIX_AWARE"}}]}
            """
                .formatted(SimFixture.ROLE));
    assertThat(e.getMessage())
        .isEqualTo(
            "1 validation error detected: Value 'PREFIX_AWARE' at"
                + " 'productionVariants.1.member.routingConfig.routingStrategy' failed to satisfy"
                + " constraint: Member must satisfy enum value set: [LEAST_OUTSTANDING_REQUESTS,"
                + " RANDOM]");
  }

  @Test
  void theModelsInstanceTypesIncludeTheFamiliesEbbUses() {
    List<String> enumValues = new ArrayList<>();
    Botocore.model("sagemaker")
        .shape("ProductionVariantInstanceType")
        .path("enum")
        .forEach(v -> enumValues.add(v.asText()));
    assertThat(enumValues)
        .contains(
            "ml.g5.xlarge",
            "ml.g5.48xlarge",
            "ml.g6.2xlarge",
            "ml.p4d.24xlarge",
            "ml.m5.large",
            "ml.c5.2xlarge",
            "ml.inf2.48xlarge")
        .hasSizeGreaterThan(200)
        .allMatch(t -> t.startsWith("ml."));
  }

  @Test
  void componentVariantsNeedAnExecutionRole() {
    AwsError e =
        f.error(
            "CreateEndpointConfig",
            """
            {"EndpointConfigName": "c", "ProductionVariants": [{"VariantName": "v",
              "InstanceType": "ml.g5.2xlarge", "InitialInstanceCount": 1}]}
            """);
    assertThat(e.getMessage())
        .startsWith("ExecutionRoleArn is required for endpoint configuration c");
  }

  @Test
  void minInstanceCountZeroNeedsManagedScalingEnabled() {
    AwsError e =
        f.error(
            "CreateEndpointConfig",
            """
            {"EndpointConfigName": "c", "ExecutionRoleArn": "%s", "ProductionVariants": [{
              "VariantName": "v", "InstanceType": "ml.g5.2xlarge", "InitialInstanceCount": 1,
              "ManagedInstanceScaling": {"Status": "DISABLED", "MinInstanceCount": 0,
                                         "MaxInstanceCount": 2}}]}
            """
                .formatted(SimFixture.ROLE));
    assertThat(e.getMessage())
        .isEqualTo(
            "MinInstanceCount 0 for production variant v requires ManagedInstanceScaling Status"
                + " ENABLED.");
  }

  @Test
  void initialInstanceCountZeroIsBelowTheModelsMinimum() {
    f.model("m");
    AwsError e =
        f.error(
            "CreateEndpointConfig",
            """
            {"EndpointConfigName": "c", "ProductionVariants": [{"VariantName": "v",
              "ModelName": "m", "InstanceType": "ml.m5.large", "InitialInstanceCount": 0}]}
            """);
    assertThat(e.getMessage())
        .isEqualTo(
            "1 validation error detected: Value '0' at"
                + " 'productionVariants.1.member.initialInstanceCount' failed to satisfy"
                + " constraint: Member must have value greater than or equal to 1");
  }

  @Test
  void copyCountZeroAtCreateIsRefused() {
    f.componentEndpointInService();
    AwsError e =
        f.error(
            "CreateInferenceComponent",
            """
            {"InferenceComponentName": "ic2", "EndpointName": "ep", "VariantName": "AllTraffic",
             "Specification": {"ModelName": "m",
               "ComputeResourceRequirements": {"MinMemoryRequiredInMb": 1024}},
             "RuntimeConfig": {"CopyCount": 0}}
            """);
    assertThat(e.getMessage())
        .startsWith("The simulator refuses CopyCount 0 at CreateInferenceComponent for ic2");
  }

  @Test
  void createOfAnExistingNameIsRefused() {
    f.model("m");
    AwsError e =
        f.error(
            "CreateModel",
            "{\"ModelName\":\"M\",\"PrimaryContainer\":{\"Image\":\"" + SimFixture.IMAGE + "\"}}");
    assertThat(e.getMessage())
        .isEqualTo(
            "Cannot create already existing model"
                + " \"arn:aws:sagemaker:us-east-1:123456789012:model/m\".");
  }

  @Test
  void referencesToMissingResourcesAreRefused() {
    assertThat(
            f.error("CreateEndpoint", "{\"EndpointName\":\"e\",\"EndpointConfigName\":\"x\"}")
                .getMessage())
        .isEqualTo(
            "Could not find endpoint configuration"
                + " \"arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/x\".");
    assertThat(
            f.error(
                    "CreateEndpointConfig",
                    """
                    {"EndpointConfigName": "c", "ProductionVariants": [{"VariantName": "v",
                      "ModelName": "nope", "InstanceType": "ml.m5.large",
                      "InitialInstanceCount": 1}]}
                    """)
                .getMessage())
        .isEqualTo("Could not find model \"arn:aws:sagemaker:us-east-1:123456789012:model/nope\".");
    f.model("m");
    AwsError noEndpoint =
        f.error(
            "CreateInferenceComponent",
            """
            {"InferenceComponentName": "ic", "EndpointName": "nope",
             "Specification": {"ModelName": "m",
               "ComputeResourceRequirements": {"MinMemoryRequiredInMb": 1024}},
             "RuntimeConfig": {"CopyCount": 1}}
            """);
    assertThat(noEndpoint.getMessage())
        .isEqualTo(
            "Could not find endpoint \"arn:aws:sagemaker:us-east-1:123456789012:endpoint/nope\".");
  }

  @Test
  void resourcesInUseCannotBeDeleted() {
    f.componentEndpointInService();
    assertThat(f.error("DeleteEndpointConfig", "{\"EndpointConfigName\":\"cfg\"}").getMessage())
        .isEqualTo(
            "Cannot delete endpoint configuration"
                + " \"arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/cfg\" because it"
                + " is in use by endpoint \"ep\".");
    assertThat(f.error("DeleteModel", "{\"ModelName\":\"m\"}").getMessage())
        .isEqualTo(
            "Cannot delete model \"arn:aws:sagemaker:us-east-1:123456789012:model/m\" because it"
                + " is used by inference component \"ic\".");
  }

  @Test
  void aModelDeployedOnAClassicEndpointCannotBeDeleted() {
    f.model("m");
    f.classicConfig("cfg", "m");
    f.endpoint("ep", "cfg");
    assertThat(f.error("DeleteModel", "{\"ModelName\":\"m\"}").getMessage())
        .contains("because it is deployed on endpoint \"ep\"");
  }

  @Test
  void componentsNeedAnInServiceComponentEndpoint() {
    SimFixture slow = new SimFixture();
    slow.model("m");
    slow.componentConfig("cfg");
    slow.endpoint("ep", "cfg");
    AwsError creating =
        slow.error(
            "CreateInferenceComponent",
            """
            {"InferenceComponentName": "ic", "EndpointName": "ep",
             "Specification": {"ModelName": "m",
               "ComputeResourceRequirements": {"MinMemoryRequiredInMb": 1024}},
             "RuntimeConfig": {"CopyCount": 1}}
            """);
    assertThat(creating.getMessage()).contains("is in Creating status");

    f.model("m");
    f.classicConfig("classic", "m");
    f.endpoint("ep", "classic");
    AwsError classic =
        f.error(
            "CreateInferenceComponent",
            """
            {"InferenceComponentName": "ic", "EndpointName": "ep",
             "Specification": {"ModelName": "m",
               "ComputeResourceRequirements": {"MinMemoryRequiredInMb": 1024}},
             "RuntimeConfig": {"CopyCount": 1}}
            """);
    assertThat(classic.getMessage())
        .startsWith("Inference components cannot be deployed to variant AllTraffic");
  }

  @Test
  void updatingAnEndpointThatIsNotInServiceIsRefused() {
    SimFixture slow = new SimFixture();
    slow.model("m");
    slow.classicConfig("cfg", "m");
    slow.endpoint("ep", "cfg");
    AwsError e =
        slow.error(
            "UpdateEndpointWeightsAndCapacities",
            """
            {"EndpointName": "ep", "DesiredWeightsAndCapacities":
              [{"VariantName": "AllTraffic", "DesiredWeight": 1}]}
            """);
    assertThat(e.getMessage()).startsWith("Cannot update in-progress endpoint");
    slow.advance(Duration.ofSeconds(2));
    AwsError unknownVariant =
        slow.error(
            "UpdateEndpointWeightsAndCapacities",
            """
            {"EndpointName": "ep", "DesiredWeightsAndCapacities":
              [{"VariantName": "Nope", "DesiredWeight": 1}]}
            """);
    assertThat(unknownVariant.getMessage()).contains("[Nope]").contains("is/are not present");
  }

  @Test
  void tagsAreValidated() {
    AwsError e =
        f.error(
            "CreateModel",
            """
            {"ModelName": "m", "PrimaryContainer": {"Image": "i"},
             "Tags": [{"Key": "aws:owner", "Value": "x"}]}
            """);
    assertThat(e.getMessage()).startsWith("Tag keys beginning with 'aws:' are reserved");
  }

  @Test
  void instanceQuotasAreEnforcedAcrossEndpoints() {
    f.sim.quotas().instances("ml.m5.xlarge", 3);
    f.model("m");
    f.classicConfig("cfg", "m"); // 2 x ml.m5.xlarge
    f.endpoint("one", "cfg");
    AwsError e =
        f.error("CreateEndpoint", "{\"EndpointName\":\"two\",\"EndpointConfigName\":\"cfg\"}");
    assertThat(e.code()).isEqualTo("ResourceLimitExceeded");
    assertThat(e.getMessage())
        .startsWith(
            "The account-level service limit 'ml.m5.xlarge for endpoint usage' is 3 Instances,"
                + " with current utilization of 2 Instances and a request delta of 2 Instances.");
    f.call(
        "UpdateEndpointWeightsAndCapacities",
        """
        {"EndpointName": "one", "DesiredWeightsAndCapacities":
          [{"VariantName": "AllTraffic", "DesiredInstanceCount": 3}]}
        """);
    f.call("DescribeEndpoint", "{\"EndpointName\":\"one\"}");
    AwsError more =
        f.error(
            "UpdateEndpointWeightsAndCapacities",
            """
            {"EndpointName": "one", "DesiredWeightsAndCapacities":
              [{"VariantName": "AllTraffic", "DesiredInstanceCount": 4}]}
            """);
    assertThat(more.getMessage()).contains("current utilization of 3 Instances");
  }

  @Test
  void unknownOperationsAreRefused() {
    AwsError e = f.error("CreateTrainingJob", "{}");
    assertThat(e.code()).isEqualTo("UnknownOperationException");
  }
}
