package dev.ebb.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.api.v1alpha1.BatchTransform;
import dev.ebb.batch.BatchCommand;
import dev.ebb.batch.BatchJob;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A local BatchTransform as a Kubernetes Job: what each part of the pod is for. */
class BatchWorkloadTest {
  private static final ModelFetcher FETCHER =
      new ModelFetcher("ghcr.io/ebb-dev/ebb:1", "http://10.87.0.1:4599");

  private static BatchTransform transform(String name, String extra) {
    return Serialization.unmarshal(
        """
        apiVersion: ebb.dev/v1alpha1
        kind: BatchTransform
        metadata: {name: %s, namespace: ml, uid: 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0}
        spec:
          backend: local
          model:
            image: scorer:1
            modelDataUrl: s3://models/scorer/
            environment: {THRESHOLD: "0.5"}
          input: {s3Uri: 's3://in/reviews/', contentType: text/csv, splitType: Line}
          output: {s3Uri: 's3://out/scores/', assembleWith: Line}
          resources: {instanceCount: 3, memoryMb: 2048, cpuCores: 1.5, acceleratorCount: 1}
        %s
        """
            .formatted(name, extra),
        BatchTransform.class);
  }

  private static Map<String, String> env(Container container) {
    return container.getEnv().stream()
        .collect(Collectors.toMap(EnvVar::getName, e -> e.getValue() == null ? "" : e.getValue()));
  }

  @Test
  void oneIndexedWorkerPerInstanceFailingOnceAsSageMakerDoes() {
    Job job = BatchWorkload.job(transform("score", ""), FETCHER);
    assertThat(job.getMetadata().getName()).isEqualTo("score");
    assertThat(job.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getController()).isTrue());
    assertThat(job.getSpec().getCompletionMode()).isEqualTo("Indexed");
    assertThat(job.getSpec().getCompletions()).isEqualTo(3);
    assertThat(job.getSpec().getParallelism()).isEqualTo(3);
    assertThat(job.getSpec().getBackoffLimit()).isZero();
    var pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry(BatchWorkload.TRANSFORM_LABEL, "score")
        .containsEntry("app.kubernetes.io/managed-by", "ebb");
  }

  @Test
  void theModelServerIsANativeSidecarUnderTheBatchContract() {
    var pod = BatchWorkload.job(transform("score", ""), FETCHER).getSpec().getTemplate().getSpec();
    assertThat(pod.getInitContainers())
        .extracting(Container::getName)
        .containsExactly("fetch-model", "model-server");
    Container server = pod.getInitContainers().get(1);
    assertThat(server.getRestartPolicy()).isEqualTo("Always");
    assertThat(server.getArgs()).containsExactly("serve");
    assertThat(server.getStartupProbe().getHttpGet().getPath()).isEqualTo("/ping");
    assertThat(env(server))
        .containsEntry("SAGEMAKER_BATCH", "true")
        .containsEntry("SAGEMAKER_BIND_TO_PORT", "8080")
        .containsEntry("THRESHOLD", "0.5");
    assertThat(server.getResources().getLimits().get("nvidia.com/gpu").getAmount()).isEqualTo("1");
    assertThat(server.getResources().getLimits().get("memory").toString()).isEqualTo("2048Mi");
  }

  @Test
  void theBatcherRunsFromEbbsImageWithItsDocumentAndReportsThroughItsTerminationMessage()
      throws Exception {
    var pod =
        BatchWorkload.job(transform("score", "  local: {awsCredentialsSecret: s3-keys}"), FETCHER)
            .getSpec()
            .getTemplate()
            .getSpec();
    Container batcher = pod.getContainers().get(0);
    assertThat(batcher.getName()).isEqualTo(BatchWorkload.BATCHER_CONTAINER);
    assertThat(batcher.getImage()).isEqualTo("ghcr.io/ebb-dev/ebb:1");
    assertThat(batcher.getCommand()).last().isEqualTo(BatchCommand.class.getName());
    assertThat(batcher.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(batcher.getTerminationMessagePath()).isEqualTo("/dev/termination-log");
    Map<String, String> env = env(batcher);
    assertThat(env)
        .containsEntry(BatchCommand.RESULT_ENV, "/dev/termination-log")
        .containsEntry("EBB_S3_ENDPOINT", "http://10.87.0.1:4599");
    BatchJob document = new ObjectMapper().readValue(env.get(BatchCommand.JOB_ENV), BatchJob.class);
    assertThat(document.input().s3Uri()).isEqualTo("s3://in/reviews/");
    assertThat(document.shard()).isEqualTo(new BatchJob.Shard(0, 3));
    // The credentials Secret reaches the fetch and the batcher, never the model server.
    assertThat(batcher.getEnvFrom())
        .singleElement()
        .satisfies(e -> assertThat(e.getSecretRef().getName()).isEqualTo("s3-keys"));
    assertThat(pod.getInitContainers().get(0).getEnvFrom()).hasSize(1);
    assertThat(pod.getInitContainers().get(1).getEnvFrom()).isNullOrEmpty();
  }

  @Test
  void aLongNameIsCutToLeaveRoomForThePodsNames() {
    String name = "a-transform-with-a-very-long-name-that-goes-on-past-fifty-two";
    String job = BatchWorkload.name(transform(name, ""));
    assertThat(job).hasSizeLessThanOrEqualTo(52).startsWith("a-transform-with");
    assertThat(BatchWorkload.name(transform(name + "x", ""))).isNotEqualTo(job);
    assertThat(List.of(BatchWorkload.name(transform("short", "")))).containsExactly("short");
  }

  @Test
  void theWorkersAreClosedToTheCluster() {
    var policy =
        BatchWorkload.networkPolicy(
            transform("score", ""),
            new GatewayPods("ebb-system", Map.of("app.kubernetes.io/name", "ebb")));
    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .containsEntry(BatchWorkload.TRANSFORM_LABEL, "score");
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
    // Only Ebb's pods, only to the batcher's progress: the model server is closed to all.
    var ingress = policy.getSpec().getIngress();
    assertThat(ingress).singleElement();
    assertThat(ingress.get(0).getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(BatchWorkload.PROGRESS_PORT));
    assertThat(ingress.get(0).getFrom().get(0).getPodSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/name", "ebb");
    assertThat(policy.getMetadata().getOwnerReferences()).hasSize(1);
  }
}
