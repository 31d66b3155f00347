package dev.ebb.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.api.v1alpha1.BatchTransform;
import dev.ebb.api.v1alpha1.BatchTransformStatus;
import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.local.BatchWorkload;
import dev.ebb.testing.RealNodeEbb;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * BatchTransforms on a real node ({@code hack/local-cluster.sh}: kubelet, containerd, runc, the
 * fake GPU device plugin), with Ebb installed by its chart: a backend-local transform runs as an
 * Indexed Job whose pods hold the test model server (a native sidecar, on a fake GPU each) and
 * Ebb's batcher (from the operator's image), reading and writing the simulator's S3 with the
 * credentials of a Secret. The same transform on backend sagemaker runs on the simulator, whose
 * containers echo as the test model server does with ECHO=1: both planes' outputs are compared byte
 * for byte. Never skipped.
 */
@TestMethodOrder(OrderAnnotation.class)
class LocalBatchTransformE2EIT {
  private static final String NS = "ml-batch";
  private static final String BUCKET = "ebb-e2e-batch";
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private static RealNodeEbb ebb;
  private static KubernetesClient client;

  @BeforeAll
  static void startTheNodeAndInstallEbb() {
    // The operator's own credentials for the simulator (backend sagemaker).
    ebb = RealNodeEbb.start(Map.of("AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test"));
    client = ebb.client;
    ebb.simulator
        .s3()
        .createBucket(BUCKET)
        .put(BUCKET, "model/model.txt", "echo")
        .put(BUCKET, "in/a.csv", "r1,great value\nr2,broke in a week\nr3,ok\n")
        .put(BUCKET, "in/day2/b.csv", "r4,fine\nr5,\"quoted, comma\"\n")
        .put(BUCKET, "in/day2/c.csv", "r6,last\n");
    RealNodeEbb.namespace(client, NS, Map.of());
    // Outside AWS no ServiceAccount carries an IAM role: the workers get keys from a Secret.
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("s3-keys")
                .withNamespace(NS)
                .endMetadata()
                .withStringData(
                    Map.of(
                        "AWS_ACCESS_KEY_ID", "test",
                        "AWS_SECRET_ACCESS_KEY", "test",
                        "AWS_REGION", "us-east-1"))
                .build())
        .serverSideApply();
    ebb.release(List.of("upgrade", "--install"));
  }

  @AfterAll
  static void stop() {
    if (ebb != null) {
      ebb.close();
    }
  }

  private static String transform(String name, String backend, String output, String extra) {
    String plane =
        backend.equals("local")
            ? "  resources: {instanceCount: 2, memoryMb: 128, cpuCores: 0.25, acceleratorCount: 1}\n"
                + "  local: {awsCredentialsSecret: s3-keys}\n"
            : "  resources: {instanceType: ml.m5.xlarge, instanceCount: 2}\n"
                + "  sagemaker: {executionRoleArn: 'arn:aws:iam::123456789012:role/ebb/Scorer'}\n";
    return """
        apiVersion: ebb.dev/v1alpha1
        kind: BatchTransform
        metadata: {name: %s, namespace: %s}
        spec:
          backend: %s
          model:
            image: ebb.dev/test/model-server:1
            modelDataUrl: s3://%s/model/
            environment: {ECHO: "1"%s}
          input: {s3Uri: 's3://%s/in/', contentType: text/csv, splitType: Line}
          output: {s3Uri: 's3://%s/%s/', accept: text/csv, assembleWith: Line}
          batchStrategy: MultiRecord
          maxConcurrentTransforms: 2
        """
            .formatted(name, NS, backend, BUCKET, extra, BUCKET, BUCKET, output)
        + plane;
  }

  private static void apply(String yaml) {
    client.resource(Serialization.unmarshal(yaml, BatchTransform.class)).serverSideApply();
  }

  private static Optional<BatchTransform> get(String name) {
    return Optional.ofNullable(
        client.resources(BatchTransform.class).inNamespace(NS).withName(name).get());
  }

  private static BatchTransform awaitStatus(
      String name, java.util.function.Predicate<BatchTransformStatus> condition) {
    return await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> get(name).orElse(null),
            t -> t != null && t.getStatus() != null && condition.test(t.getStatus()));
  }

  private static Optional<String> reason(BatchTransformStatus status, String type) {
    Condition c = status.condition(type);
    return c == null || !"True".equals(c.status()) ? Optional.empty() : Optional.of(c.reason());
  }

  @Test
  @Order(1)
  void theSameTransformWritesTheSameBytesOnTheNodeAndOnSageMaker() {
    apply(transform("on-node", "local", "local", ""));
    apply(transform("on-sagemaker", "sagemaker", "sagemaker", ""));

    BatchTransform local =
        awaitStatus("on-node", s -> s.ended() || reason(s, "Stalled").isPresent());
    BatchTransform sagemaker =
        awaitStatus("on-sagemaker", s -> s.ended() || reason(s, "Stalled").isPresent());

    assertThat(local.getStatus().phase()).as("%s", local.getStatus()).isEqualTo("Completed");
    assertThat(sagemaker.getStatus().phase())
        .as("%s", sagemaker.getStatus())
        .isEqualTo("Completed");
    assertThat(reason(local.getStatus(), "Ready")).hasValue("TransformCompleted");
    var progress = local.getStatus().progress();
    assertThat(progress.objects()).isEqualTo("3/3");
    assertThat(progress.recordsDone()).isEqualTo(6);
    assertThat(progress.recordsFailed()).isZero();
    assertThat(local.getStatus().jobName()).isEqualTo("on-node");
    assertThat(local.getStatus().startTime()).isNotNull();
    assertThat(local.getStatus().completionTime()).isNotNull();
    var job = client.batch().v1().jobs().inNamespace(NS).withName("on-node").get();
    assertThat(job.getSpec().getCompletions()).isEqualTo(2);
    assertThat(job.getSpec().getCompletionMode()).isEqualTo("Indexed");

    List<String> onNode = keys("local/");
    assertThat(onNode).containsExactly("a.csv.out", "day2/b.csv.out", "day2/c.csv.out");
    assertThat(keys("sagemaker/")).isEqualTo(onNode);
    for (String key : onNode) {
      assertThat(show("local/" + key)).as(key).isEqualTo(show("sagemaker/" + key));
    }
  }

  @Test
  @Order(2)
  void aRecordOverMaxPayloadFailsTheTransformWithTheBatchersReason() {
    ebb.simulator.s3().put(BUCKET, "big/huge.csv", "9," + "x".repeat(1_200_000) + "\n");
    apply(
        transform("too-big", "local", "too-big", "")
            .replace("/in/'", "/big/'")
            .replace(
                "maxConcurrentTransforms: 2", "maxConcurrentTransforms: 2\n  maxPayloadInMB: 1")
            .replace("instanceCount: 2", "instanceCount: 1"));

    BatchTransform failed = awaitStatus("too-big", s -> reason(s, "Stalled").isPresent());

    assertThat(failed.getStatus().phase()).isEqualTo("Failed");
    assertThat(reason(failed.getStatus(), "Stalled")).hasValue("TransformFailed");
    assertThat(failed.getStatus().failureReason()).contains("MaxPayloadInMB");
  }

  @Test
  @Order(3)
  void deletingARunningTransformStopsItsWorkers() {
    apply(
        transform("slow", "local", "slow", ", INVOCATION_DELAY_MS: \"600000\"")
            .replace("instanceCount: 2", "instanceCount: 1"));
    // While it runs, the worker's batcher tells its progress to the operator: it has listed the
    // three objects and finished none (every request is held for ten minutes).
    BatchTransform running =
        awaitStatus(
            "slow",
            s ->
                "InProgress".equals(s.phase())
                    && s.progress() != null
                    && Integer.valueOf(3).equals(s.progress().objectsTotal()));
    assertThat(running.getStatus().progress().objects()).isEqualTo("0/3");
    assertThat(workers("slow")).isNotEmpty();

    client.resources(BatchTransform.class).inNamespace(NS).withName("slow").delete();

    await().atMost(TIMEOUT).until(() -> get("slow").isEmpty());
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                workers("slow").isEmpty()
                    && client.batch().v1().jobs().inNamespace(NS).withName("slow").get() == null);
    assertThat(ebb.simulator.s3().keys(BUCKET, "slow/")).as("nothing was finished").isEmpty();
  }

  private static List<String> workers(String name) {
    return client
        .pods()
        .inNamespace(NS)
        .withLabel(BatchWorkload.TRANSFORM_LABEL, name)
        .list()
        .getItems()
        .stream()
        .map(p -> p.getMetadata().getName())
        .toList();
  }

  private static List<String> keys(String prefix) {
    return ebb.simulator.s3().keys(BUCKET, prefix).stream()
        .map(k -> k.substring(prefix.length()))
        .sorted()
        .toList();
  }

  private static String show(String key) {
    byte[] bytes = ebb.simulator.s3().object(BUCKET, key).orElseThrow();
    String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    return text.chars().allMatch(c -> c == '\n' || (c >= 0x20 && c < 0x7f))
        ? text
        : HexFormat.of().formatHex(bytes);
  }
}
