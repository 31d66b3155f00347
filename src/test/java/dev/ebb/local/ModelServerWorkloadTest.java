package dev.ebb.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.StartupSpec;
import org.junit.jupiter.api.Test;

class ModelServerWorkloadTest {
  @Test
  void anUncompressedPrefixIsSyncedAndATarballUnpackedWithinTheDownloadTimeout() {
    assertThat(ModelServerWorkload.fetchScript("s3://b/llama/", new StartupSpec(600, 600)))
        .isEqualTo("set -e; timeout 600 sh -c \"aws s3 sync 's3://b/llama/' /opt/ml/model\"");
    assertThat(ModelServerWorkload.fetchScript("s3://b/m/model.tar.gz", null))
        .startsWith("set -e; timeout 3600 sh -c \"aws s3 cp 's3://b/m/model.tar.gz'")
        .contains("tar -xzf /tmp/model.tar.gz -C /opt/ml/model");
  }

  @Test
  void theStartupProbeAllowsTheHealthCheckTimeoutInWholePeriods() {
    assertThat(ModelServerWorkload.startupPeriods(new StartupSpec(60, 1200))).isEqualTo(120);
    assertThat(ModelServerWorkload.startupPeriods(new StartupSpec(60, 65))).isEqualTo(7);
    assertThat(ModelServerWorkload.startupPeriods(null)).isEqualTo(360);
  }

  @Test
  void aCopyCountsAsStartingForTheDownloadAndStartupBoundsPlusTimeToScheduleIt() {
    assertThat(ModelServerWorkload.progressDeadlineSeconds(new StartupSpec(600, 1200)))
        .isEqualTo(600 + 1200 + 600);
    assertThat(ModelServerWorkload.progressDeadlineSeconds(null)).isEqualTo(3600 + 3600 + 600);
  }
}
