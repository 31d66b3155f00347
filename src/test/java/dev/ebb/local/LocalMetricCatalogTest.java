package dev.ebb.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.EffectivePolicy.Metric;
import dev.ebb.api.v1alpha1.MetricRef.Statistic;
import dev.ebb.api.v1alpha1.ScalingPolicySpec.TrackedMetric;
import dev.ebb.local.LocalMetricCatalog.AsyncQueue;
import dev.ebb.local.LocalMetricCatalog.Gateway;
import dev.ebb.local.LocalMetricCatalog.Gpu;
import dev.ebb.local.LocalMetricCatalog.ModelServer;
import dev.ebb.local.LocalMetricCatalog.Unmeasured;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LocalMetricCatalogTest {
  @Test
  void eachMetricIsMeasuredByTheSourceThatMeansTheSameAsOnSageMaker() {
    assertThat(LocalMetricCatalog.of(TrackedMetric.ConcurrentRequestsPerCopy, Optional.empty()))
        .isEqualTo(new Gateway("ConcurrentRequestsPerCopy"));
    assertThat(LocalMetricCatalog.of(metric("AWS/SageMaker", "InvocationsPerCopy")))
        .isEqualTo(new Gateway("InvocationsPerCopy"));
    assertThat(LocalMetricCatalog.of(metric("AWS/SageMaker", "ApproximateBacklogSize")))
        .isEqualTo(new AsyncQueue("ApproximateBacklogSize"));
    assertThat(LocalMetricCatalog.of(metric("AWS/SageMaker", "HasBacklogWithoutCapacity")))
        .isEqualTo(new AsyncQueue("HasBacklogWithoutCapacity"));
    assertThat(
            LocalMetricCatalog.of(
                metric("/aws/sagemaker/InferenceComponents", "GPUUtilizationNormalized")))
        .isEqualTo(new Gpu("GPUUtilizationNormalized"));
    assertThat(LocalMetricCatalog.of(metric("vLLM", "vllm:num_requests_waiting")))
        .isEqualTo(
            new ModelServer("vllm:num_requests_waiting", new TreeMap<>(), Statistic.Average));
  }

  @Test
  void whatNothingHereMeasuresSaysSo() {
    assertThat(LocalMetricCatalog.of(TrackedMetric.InvocationsPerInstance, Optional.empty()))
        .isInstanceOf(Unmeasured.class);
    assertThat(LocalMetricCatalog.of(metric("AWS/SageMaker", "ModelLatency")))
        .isInstanceOf(Unmeasured.class);
    assertThat(
            LocalMetricCatalog.of(
                metric("/aws/sagemaker/InferenceComponents", "CPUUtilizationNormalized")))
        .isInstanceOf(Unmeasured.class);
  }

  @Test
  void aModelServerSeriesIsKeyedByNameLabelsAndStatistic() {
    assertThat(new ModelServer("q", new TreeMap<>(Map.of("b", "2", "a", "1")), Statistic.Sum).key())
        .isEqualTo("q{a=\"1\",b=\"2\"} (Sum)");
  }

  @Test
  void aPolicyIsRefusedNamingTheFieldWhoseMetricNothingMeasures() {
    var gpu = new LocalMetricCatalog.Named("spec.targetTracking[0]", new Gpu("GPUUtilization"));
    var server =
        new LocalMetricCatalog.Named(
            "spec.stepScaling[queue].alarm.metric",
            new ModelServer("q", new TreeMap<>(), Statistic.Average));
    var unmeasured =
        new LocalMetricCatalog.Named("spec.targetTracking[1]", new Unmeasured("x", "not here"));

    assertThat(LocalMetricCatalog.unavailable(List.of(gpu, server), "llama", true, true)).isEmpty();
    assertThat(LocalMetricCatalog.unavailable(List.of(gpu, server), "llama", true, false))
        .hasValueSatisfying(why -> assertThat(why).startsWith("spec.targetTracking[0]: GPU"));
    assertThat(LocalMetricCatalog.unavailable(List.of(server), "llama", false, true))
        .hasValueSatisfying(
            why ->
                assertThat(why)
                    .startsWith("spec.stepScaling[queue].alarm.metric: q")
                    .contains("InferenceComponent llama declares none"));
    assertThat(LocalMetricCatalog.unavailable(List.of(unmeasured), "llama", true, true))
        .contains("spec.targetTracking[1]: not here.");
    assertThat(LocalMetricCatalog.scraped(List.of(gpu, server, gpu, unmeasured)))
        .containsExactly(gpu.source(), server.source());
  }

  private static Metric metric(String namespace, String name) {
    return new Metric(namespace, name, new TreeMap<>(), Statistic.Average);
  }
}
