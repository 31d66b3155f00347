package dev.ebb.gateway.async;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.InferenceEndpointSpec;
import dev.ebb.gateway.resolve.Resolution;
import dev.ebb.local.ComponentKey;
import dev.ebb.local.Leadership;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InvocationRecordsTest {
  @Test
  void recordsLiveInAFolderOfTheOutputPathNamedByTheInferenceId() {
    assertThat(InvocationRecords.location("s3://b/out", "id-1"))
        .isEqualTo("s3://b/out/ebb-pending/id-1.json");
    assertThat(InvocationRecords.location("s3://b/out/", "id-1"))
        .isEqualTo("s3://b/out/ebb-pending/id-1.json");
  }

  @Test
  void anInferenceIdThatIsNotSafeInAnS3UriIsNamedByItsHash() {
    assertThat(InvocationRecords.location("s3://b/out/", "a b\"<%>"))
        .matches("s3://b/out/ebb-pending/sha256-[0-9a-f]{64}\\.json");
    assertThat(InvocationRecords.fileName("sha256-x")).startsWith("sha256-").hasSize(71);
    java.net.URI.create(InvocationRecords.location("s3://b/out/", "{odd id}"));
  }

  @Test
  void aRecordHoldsEverythingNeededToRunTheJobWithoutTheRequest() {
    AsyncInvocations.Job job =
        new AsyncInvocations.Job(
            "id-1",
            "ebb-team-cpu",
            new Resolution.Local(
                new ComponentKey("team", "tiny"), "AllTraffic", 64, Duration.ofSeconds(600)),
            "s3://b/in/1.json",
            "s3://b/out/id-1.out",
            Optional.of("s3://b/failed/id-1-error.out"),
            Optional.of(
                new InferenceEndpointSpec.Notification(
                    "arn:aws:sns:us-east-1:123456789012:done", null)),
            Map.of("Content-Type", "application/json", "X-Amzn-SageMaker-Inference-Id", "id-1"),
            Instant.parse("2026-12-07T03:00:00.123Z"),
            Instant.parse("2026-12-07T09:00:00.123Z"),
            Duration.ofMinutes(15),
            2,
            "s3://b/out/ebb-pending/id-1.json");

    AsyncInvocations.Job read =
        InvocationRecords.fromJson(
            job.record(),
            new io.vertx.core.json.JsonObject(InvocationRecords.toJson(job).encode()));

    assertThat(read).isEqualTo(job);
  }

  @Test
  void aRecordWithoutFailurePathOrTopicsReadsBackEmpty() {
    AsyncInvocations.Job job =
        new AsyncInvocations.Job(
            "id-2",
            "e",
            new Resolution.Local(new ComponentKey("n", "c"), "v", 1, Duration.ofSeconds(1)),
            "s3://b/in",
            "s3://b/out/id-2.out",
            Optional.empty(),
            Optional.empty(),
            Map.of(),
            Instant.EPOCH,
            Instant.EPOCH.plusSeconds(60),
            Duration.ofSeconds(1),
            1,
            "s3://b/out/ebb-pending/id-2.json");

    assertThat(InvocationRecords.fromJson(job.record(), InvocationRecords.toJson(job)))
        .isEqualTo(job);
  }

  @Test
  void leadershipListenersHearTheStartOnceAndLateListenersAtOnce() {
    Leadership leadership = new Leadership(false);
    List<String> heard = new ArrayList<>();
    leadership.whenLeading(() -> heard.add("early"));
    assertThat(leadership.leading()).isFalse();
    assertThat(heard).isEmpty();

    leadership.startedLeading();
    leadership.startedLeading();
    leadership.whenLeading(() -> heard.add("late"));

    assertThat(leadership.leading()).isTrue();
    assertThat(heard).containsExactly("early", "late");
  }
}
