package dev.ebb.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.local.PrometheusText.Sample;
import dev.ebb.local.PrometheusText.Type;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
  @Test
  void samplesKeepTheirFamilysTypeAndEscapedLabels() {
    List<Sample> samples =
        PrometheusText.parse(
            """
            # HELP vllm:num_requests_waiting Number of requests waiting.
            # TYPE vllm:num_requests_waiting gauge
            vllm:num_requests_waiting{model_name="llama \\"3\\""} 4.0
            # TYPE vllm:request_success counter
            vllm:request_success_total{model_name="llama"} 17 1700000000000
            # TYPE vllm:e2e_request_latency_seconds histogram
            vllm:e2e_request_latency_seconds_count{model_name="llama"} 9
            untyped_thing NaN
            not a sample at all {
            """);

    assertThat(samples)
        .containsExactly(
            new Sample(
                "vllm:num_requests_waiting", Map.of("model_name", "llama \"3\""), 4, Type.GAUGE),
            new Sample(
                "vllm:request_success_total", Map.of("model_name", "llama"), 17, Type.COUNTER),
            new Sample(
                "vllm:e2e_request_latency_seconds_count",
                Map.of("model_name", "llama"),
                9,
                Type.COUNTER),
            new Sample("untyped_thing", Map.of(), Double.NaN, Type.UNTYPED));
  }

  @Test
  void aSelectorMatchesWhenEveryPairIsAmongTheLabels() {
    Sample sample = new Sample("m", Map.of("model", "a", "pod", "p"), 1, Type.GAUGE);
    assertThat(sample.matches(Map.of())).isTrue();
    assertThat(sample.matches(Map.of("model", "a"))).isTrue();
    assertThat(sample.matches(Map.of("model", "b"))).isFalse();
    assertThat(sample.matches(Map.of("gpu", "0"))).isFalse();
  }
}
