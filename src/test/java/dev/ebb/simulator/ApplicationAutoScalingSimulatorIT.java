package dev.ebb.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.applicationautoscaling.model.ObjectNotFoundException;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableDimension;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.applicationautoscaling.model.ValidationException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * The simulator's Application Auto Scaling and CloudWatch, driven through the real SDK client with
 * only the endpoint overridden: the wire protocols (awsJson1_1 AnyScaleFrontendService;
 * CloudWatch's AWS Query) and AWS's checks.
 */
class ApplicationAutoScalingSimulatorIT {
  private static final String COMPONENT = "inference-component/ic";
  private static final ScalableDimension COPIES =
      ScalableDimension.SAGEMAKER_INFERENCE_COMPONENT_DESIRED_COPY_COUNT;

  private SimFixture f;
  private ApplicationAutoScalingClient aas;

  @BeforeEach
  void start() {
    f = new SimFixture();
    f.componentEndpointInService();
    f.sim.start();
    aas =
        ApplicationAutoScalingClient.builder()
            .endpointOverride(f.sim.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build();
  }

  @AfterEach
  void stop() {
    aas.close();
    f.sim.close();
  }

  private void register(int min, int max) {
    aas.registerScalableTarget(
        r ->
            r.serviceNamespace(ServiceNamespace.SAGEMAKER)
                .resourceId(COMPONENT)
                .scalableDimension(COPIES)
                .minCapacity(min)
                .maxCapacity(max));
  }

  @Test
  void theScaleToZeroRecipeIsStoredAndDescribedAsAwsWould() {
    register(0, 4);
    var tracking =
        aas.putScalingPolicy(
            r ->
                r.policyName("target-tracking")
                    .serviceNamespace(ServiceNamespace.SAGEMAKER)
                    .resourceId(COMPONENT)
                    .scalableDimension(COPIES)
                    .policyType("TargetTrackingScaling")
                    .targetTrackingScalingPolicyConfiguration(
                        c ->
                            c.targetValue(5.0)
                                .predefinedMetricSpecification(
                                    m ->
                                        m.predefinedMetricType(
                                            "SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution"))
                                .scaleInCooldown(300)
                                .scaleOutCooldown(300)));
    assertThat(tracking.policyARN())
        .contains(":scalingPolicy:")
        .endsWith("policyName/target-tracking");
    assertThat(tracking.alarms()).hasSize(2);
    aas.putScalingPolicy(
        r ->
            r.policyName("scale-from-zero")
                .serviceNamespace(ServiceNamespace.SAGEMAKER)
                .resourceId(COMPONENT)
                .scalableDimension(COPIES)
                .policyType("StepScaling")
                .stepScalingPolicyConfiguration(
                    c ->
                        c.adjustmentType("ChangeInCapacity")
                            .metricAggregationType("Maximum")
                            .cooldown(60)
                            .stepAdjustments(
                                s -> s.metricIntervalLowerBound(0.0).scalingAdjustment(1))));
    aas.putScheduledAction(
        r ->
            r.scheduledActionName("weekend-off")
                .serviceNamespace(ServiceNamespace.SAGEMAKER)
                .resourceId(COMPONENT)
                .scalableDimension(COPIES)
                .schedule("cron(0 18 ? * FRI *)")
                .timezone("Europe/Paris")
                .scalableTargetAction(a -> a.minCapacity(0).maxCapacity(0)));

    var target =
        aas.describeScalableTargets(
                r -> r.serviceNamespace(ServiceNamespace.SAGEMAKER).resourceIds(COMPONENT))
            .scalableTargets();
    assertThat(target)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.minCapacity()).isZero();
              assertThat(t.maxCapacity()).isEqualTo(4);
              assertThat(t.scalableDimension()).isEqualTo(COPIES);
            });
    var policies =
        aas.describeScalingPolicies(
                r -> r.serviceNamespace(ServiceNamespace.SAGEMAKER).resourceId(COMPONENT))
            .scalingPolicies();
    assertThat(policies)
        .extracting(p -> p.policyName())
        .containsExactly("target-tracking", "scale-from-zero");
    assertThat(policies.get(0).targetTrackingScalingPolicyConfiguration().targetValue())
        .isEqualTo(5.0);
    assertThat(policies.get(1).stepScalingPolicyConfiguration().cooldown()).isEqualTo(60);
    var actions =
        aas.describeScheduledActions(r -> r.serviceNamespace(ServiceNamespace.SAGEMAKER))
            .scheduledActions();
    assertThat(actions)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.schedule()).isEqualTo("cron(0 18 ? * FRI *)");
              assertThat(a.timezone()).isEqualTo("Europe/Paris");
              assertThat(a.scalableTargetAction().maxCapacity()).isZero();
            });

    // Deregistering the target takes its policies and scheduled actions with it, as in AWS.
    aas.deregisterScalableTarget(
        r ->
            r.serviceNamespace(ServiceNamespace.SAGEMAKER)
                .resourceId(COMPONENT)
                .scalableDimension(COPIES));
    assertThat(
            aas.describeScalingPolicies(r -> r.serviceNamespace(ServiceNamespace.SAGEMAKER))
                .scalingPolicies())
        .isEmpty();
    assertThat(
            aas.describeScheduledActions(r -> r.serviceNamespace(ServiceNamespace.SAGEMAKER))
                .scheduledActions())
        .isEmpty();
  }

  @Test
  void cloudWatchAlarmsSpeakTheQueryProtocolAndTargetTrackingOwnsItsAlarms() {
    try (CloudWatchClient cloudWatch =
        CloudWatchClient.builder()
            .endpointOverride(f.sim.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build()) {
      cloudWatch.putMetricAlarm(
          r ->
              r.alarmName("ic-scale-from-zero")
                  .namespace("AWS/SageMaker")
                  .metricName("NoCapacityInvocationFailures")
                  .dimensions(d -> d.name("InferenceComponentName").value("ic"))
                  .statistic(Statistic.MAXIMUM)
                  .period(30)
                  .evaluationPeriods(1)
                  .datapointsToAlarm(1)
                  .threshold(1.0)
                  .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                  .treatMissingData("missing")
                  .alarmActions("arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:x"));
      var alarm = cloudWatch.describeAlarms(r -> r.alarmNames("ic-scale-from-zero")).metricAlarms();
      assertThat(alarm)
          .singleElement()
          .satisfies(
              a -> {
                assertThat(a.period()).isEqualTo(30);
                assertThat(a.threshold()).isEqualTo(1.0);
                assertThat(a.statistic()).isEqualTo(Statistic.MAXIMUM);
                assertThat(a.dimensions())
                    .singleElement()
                    .satisfies(d -> assertThat(d.value()).isEqualTo("ic"));
                assertThat(a.alarmActions())
                    .containsExactly("arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:x");
                assertThat(a.stateValueAsString()).isEqualTo("INSUFFICIENT_DATA");
              });
      assertThatThrownBy(
              () ->
                  cloudWatch.putMetricAlarm(
                      r ->
                          r.alarmName("bad-period")
                              .namespace("AWS/SageMaker")
                              .metricName("X")
                              .statistic(Statistic.AVERAGE)
                              .period(45)
                              .evaluationPeriods(1)
                              .threshold(1.0)
                              .comparisonOperator(
                                  ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)))
          .isInstanceOfSatisfying(
              CloudWatchException.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));

      register(0, 2);
      aas.putScalingPolicy(
          r ->
              r.policyName("tt")
                  .serviceNamespace(ServiceNamespace.SAGEMAKER)
                  .resourceId(COMPONENT)
                  .scalableDimension(COPIES)
                  .policyType("TargetTrackingScaling")
                  .targetTrackingScalingPolicyConfiguration(
                      c ->
                          c.targetValue(5.0)
                              .predefinedMetricSpecification(
                                  m ->
                                      m.predefinedMetricType(
                                          "SageMakerInferenceComponentInvocationsPerCopy"))));
      assertThat(
              cloudWatch.describeAlarms(r -> r.alarmNamePrefix("TargetTracking-")).metricAlarms())
          .hasSize(2);
      aas.deleteScalingPolicy(
          r ->
              r.policyName("tt")
                  .serviceNamespace(ServiceNamespace.SAGEMAKER)
                  .resourceId(COMPONENT)
                  .scalableDimension(COPIES));
      assertThat(
              cloudWatch.describeAlarms(r -> r.alarmNamePrefix("TargetTracking-")).metricAlarms())
          .isEmpty();
      cloudWatch.deleteAlarms(r -> r.alarmNames("ic-scale-from-zero"));
      assertThat(f.sim.scaling("us-east-1").alarms()).isEmpty();
    }
  }

  @Test
  void awsChecksAreMade() {
    assertThatThrownBy(
            () ->
                aas.registerScalableTarget(
                    r ->
                        r.serviceNamespace(ServiceNamespace.SAGEMAKER)
                            .resourceId("inference-component/missing")
                            .scalableDimension(COPIES)
                            .minCapacity(0)
                            .maxCapacity(1)))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(
            () ->
                aas.registerScalableTarget(
                    r ->
                        r.serviceNamespace(ServiceNamespace.SAGEMAKER)
                            .resourceId(COMPONENT)
                            .scalableDimension(
                                ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT)
                            .minCapacity(0)
                            .maxCapacity(1)))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> register(3, 2)).isInstanceOf(ValidationException.class);
    assertThatThrownBy(
            () ->
                aas.putScalingPolicy(
                    r ->
                        r.policyName("orphan")
                            .serviceNamespace(ServiceNamespace.SAGEMAKER)
                            .resourceId(COMPONENT)
                            .scalableDimension(COPIES)
                            .policyType("StepScaling")
                            .stepScalingPolicyConfiguration(
                                c -> c.adjustmentType("ChangeInCapacity"))))
        .isInstanceOf(ObjectNotFoundException.class);
    assertThatThrownBy(
            () ->
                aas.deregisterScalableTarget(
                    r ->
                        r.serviceNamespace(ServiceNamespace.SAGEMAKER)
                            .resourceId(COMPONENT)
                            .scalableDimension(COPIES)))
        .isInstanceOf(ObjectNotFoundException.class);
  }
}
