package dev.ebb.simulator;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A simulator driven without HTTP by the fast tests: a manual clock, default delays, and helpers
 * that build the requests a test needs in one line.
 */
final class SimFixture {
  static final String REGION = "us-east-1";
  static final String ROLE = "arn:aws:iam::123456789012:role/SageMakerExecution";
  static final String IMAGE = "763104351884.dkr.ecr.us-east-1.amazonaws.com/djl-inference:0.29.0";

  final ManualClock clock = new ManualClock();
  final SageMakerSimulator sim;

  SimFixture() {
    this(Delays.defaults());
  }

  SimFixture(Delays delays) {
    this(delays, false);
  }

  /** With {@code autoscaling}, alarms are evaluated and policies run ({@link Autoscaling}). */
  SimFixture(Delays delays, boolean autoscaling) {
    sim = SageMakerSimulator.builder().clock(clock).delays(delays).autoscaling(autoscaling).build();
  }

  static ObjectNode json(String json) {
    try {
      return (ObjectNode) Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(json, e);
    }
  }

  /**
   * A call the test means to be valid: besides its own assertions, it fails if the call broke AWS's
   * service models (a refused request, or an answer outside the output shape).
   */
  ObjectNode call(String operation, String request) {
    ObjectNode out = sim.call(REGION, operation, json(request));
    sim.assertNoModelViolations();
    return out;
  }

  /**
   * The error a call answers; fails the test if it succeeds. The test expects this error, so a
   * violation of AWS's models the call caused is taken as expected.
   */
  AwsError error(String operation, String request) {
    try {
      return expectError(operation, request);
    } finally {
      sim.modelViolations().drain();
    }
  }

  private AwsError expectError(String operation, String request) {
    AwsError[] caught = new AwsError[1];
    assertThatThrownBy(
            () -> {
              try {
                call(operation, request);
              } catch (AwsError e) {
                caught[0] = e;
                throw e;
              }
            })
        .isInstanceOf(AwsError.class);
    return caught[0];
  }

  void advance(Duration by) {
    clock.advance(by);
  }

  void model(String name) {
    model(name, IMAGE);
  }

  void model(String name, String image) {
    call(
        "CreateModel",
        """
        {"ModelName": "%s", "ExecutionRoleArn": "%s", "PrimaryContainer": {"Image": "%s"}}
        """
            .formatted(name, ROLE, image));
  }

  /** A config for inference components: no model, managed scaling down to 0 instances. */
  void componentConfig(String name) {
    call(
        "CreateEndpointConfig",
        """
        {"EndpointConfigName": "%s", "ExecutionRoleArn": "%s",
         "ProductionVariants": [{"VariantName": "AllTraffic", "InstanceType": "ml.g5.2xlarge",
           "InitialInstanceCount": 1,
           "ManagedInstanceScaling": {"Status": "ENABLED", "MinInstanceCount": 0,
                                      "MaxInstanceCount": 4},
           "RoutingConfig": {"RoutingStrategy": "LEAST_OUTSTANDING_REQUESTS"}}]}
        """
            .formatted(name, ROLE));
  }

  /** A classic config: one variant running {@code model} on two instances. */
  void classicConfig(String name, String model) {
    call(
        "CreateEndpointConfig",
        """
        {"EndpointConfigName": "%s",
         "ProductionVariants": [{"VariantName": "AllTraffic", "ModelName": "%s",
           "InstanceType": "ml.m5.xlarge", "InitialInstanceCount": 2}]}
        """
            .formatted(name, model));
  }

  void endpoint(String name, String config) {
    call(
        "CreateEndpoint",
        """
        {"EndpointName": "%s", "EndpointConfigName": "%s"}
        """
            .formatted(name, config));
  }

  void component(String name, String endpoint, String model, int copies) {
    call(
        "CreateInferenceComponent",
        """
        {"InferenceComponentName": "%s", "EndpointName": "%s", "VariantName": "AllTraffic",
         "Specification": {"ModelName": "%s",
           "ComputeResourceRequirements": {"MinMemoryRequiredInMb": 1024,
                                           "NumberOfAcceleratorDevicesRequired": 1}},
         "RuntimeConfig": {"CopyCount": %d}}
        """
            .formatted(name, endpoint, model, copies));
  }

  void copies(String component, int copies) {
    call(
        "UpdateInferenceComponentRuntimeConfig",
        """
        {"InferenceComponentName": "%s", "DesiredRuntimeConfig": {"CopyCount": %d}}
        """
            .formatted(component, copies));
  }

  /** An InService inference-component endpoint "ep" with component "ic" (1 copy) on model "m". */
  void componentEndpointInService() {
    model("m");
    componentConfig("cfg");
    endpoint("ep", "cfg");
    advance(Duration.ofMinutes(1));
    component("ic", "ep", "m", 1);
    advance(Duration.ofMinutes(1));
  }

  ObjectNode describeEndpoint(String name) {
    return call("DescribeEndpoint", "{\"EndpointName\": \"" + name + "\"}");
  }

  ObjectNode describeComponent(String name) {
    return call("DescribeInferenceComponent", "{\"InferenceComponentName\": \"" + name + "\"}");
  }

  Invocation.Reply invoke(String endpoint, String component, String body) {
    return sim.invoke(
        REGION,
        new Invocation(
            endpoint,
            "application/json",
            null,
            component,
            null,
            null,
            body.getBytes(StandardCharsets.UTF_8)));
  }
}
