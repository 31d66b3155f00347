package dev.ebb.local;

import static dev.ebb.local.LocalMetricCatalog.GPU_MEMORY_UTILIZATION;
import static dev.ebb.local.LocalMetricCatalog.GPU_UTILIZATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The exporters' pages are shaped as dcgm-exporter renders them ({@code
 * internal/pkg/rendermetrics/render_metrics.go}: {@code gpu}, {@code UUID}, {@code pci_bus_id},
 * {@code device}, {@code modelName}, MIG's {@code GPU_I_PROFILE}/{@code GPU_I_ID}, {@code
 * Hostname}, label fields such as {@code DCGM_FI_DRIVER_VERSION}, then the Kubernetes attributes in
 * order, {@code container}, {@code namespace}, {@code pod}), with help texts of its {@code
 * etc/default-counters.csv}.
 */
class DcgmReadingsTest {
  private static final ComponentKey LLAMA = new ComponentKey("team-a", "llama");
  private static final ComponentKey OTHER_LLAMA = new ComponentKey("team-b", "llama");
  private static final ComponentKey IDLE = new ComponentKey("team-a", "whisper");
  private static final double FB = 22564; // an A10G's framebuffer, MiB (used + free)

  /**
   * A g5.12xlarge (4 A10G): the copy llama-6f7d9c8b5-2xkqp of team-a holds GPUs 0 and 1; a pod of
   * the same name in team-b (another team's component llama) holds GPU 2; GPU 3 is free (the
   * exporter gives it empty pod labels).
   */
  private static final String NODE_1 =
      """
      # HELP DCGM_FI_DEV_SM_CLOCK SM clock frequency (in MHz).
      # TYPE DCGM_FI_DEV_SM_CLOCK gauge
      DCGM_FI_DEV_SM_CLOCK{gpu="0",UUID="GPU-4a2b6c1e-8f0d-3e5a-9b7c-1d2e3f405162",pci_bus_id="00000000:00:1B.0",device="nvidia0",modelName="NVIDIA A10G",Hostname="ip-10-0-1-17.ec2.internal",DCGM_FI_DRIVER_VERSION="535.183.01",container="model",namespace="team-a",pod="llama-6f7d9c8b5-2xkqp"} 1710
      DCGM_FI_DEV_SM_CLOCK{gpu="1",UUID="GPU-7c3d5e2f-1a9b-4c8d-a6e5-2f3a4b5c6d7e",pci_bus_id="00000000:00:1C.0",device="nvidia1",modelName="NVIDIA A10G",Hostname="ip-10-0-1-17.ec2.internal",DCGM_FI_DRIVER_VERSION="535.183.01",container="model",namespace="team-a",pod="llama-6f7d9c8b5-2xkqp"} 1710
      DCGM_FI_DEV_SM_CLOCK{gpu="2",UUID="GPU-9e8d7c6b-5a4f-3e2d-1c0b-a9f8e7d6c5b4",pci_bus_id="00000000:00:1D.0",device="nvidia2",modelName="NVIDIA A10G",Hostname="ip-10-0-1-17.ec2.internal",DCGM_FI_DRIVER_VERSION="535.183.01",container="model",namespace="team-b",pod="llama-6f7d9c8b5-2xkqp"} 1710
      DCGM_FI_DEV_SM_CLOCK{gpu="3",UUID="GPU-0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9",pci_bus_id="00000000:00:1E.0",device="nvidia3",modelName="NVIDIA A10G",Hostname="ip-10-0-1-17.ec2.internal",DCGM_FI_DRIVER_VERSION="535.183.01",container="",namespace="",pod=""} 210
      # HELP DCGM_FI_DEV_GPU_UTIL GPU utilization (in %).
      # TYPE DCGM_FI_DEV_GPU_UTIL gauge
      DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-4a2b6c1e-8f0d-3e5a-9b7c-1d2e3f405162",pci_bus_id="00000000:00:1B.0",device="nvidia0",modelName="NVIDIA A10G",Hostname="ip-10-0-1-17.ec2.internal",DCGM_FI_DRIVER_VERSION="535.183.01",container="model",namespace="team-a",pod="llama-6f7d9c8b5-2xkqp"} 80
      DCGM_FI_DEV_GPU_UTIL{gpu="1",UUID="GPU-7c3d5e2f-1a9b-4c8d-a6e5-2f3a4b5c6d7e",pci_bus_id="00000000:00:1C.0",device="nvidia1",modelName="NVIDIA A10G",Hostname="ip-10-0-1-17.ec2.internal",DCGM_FI_DRIVER_VERSION="535.183.01",container="model",namespace="team-a",pod="llama-6f7d9c8b5-2xkqp"} 60
      DCGM_FI_DEV_GPU_UTIL{gpu="2",UUID="GPU-9e8d7c6b-5a4f-3e2d-1c0b-a9f8e7d6c5b4",pci_bus_id="00000000:00:1D.0",device="nvidia2",modelName="NVIDIA A10G",Hostname="ip-10-0-1-17.ec2.internal",DCGM_FI_DRIVER_VERSION="535.183.01",container="model",namespace="team-b",pod="llama-6f7d9c8b5-2xkqp"} 5
      DCGM_FI_DEV_GPU_UTIL{gpu="3",UUID="GPU-0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9",pci_bus_id="00000000:00:1E.0",device="nvidia3",modelName="NVIDIA A10G",Hostname="ip-10-0-1-17.ec2.internal",DCGM_FI_DRIVER_VERSION="535.183.01",container="",namespace="",pod=""} 0
      # HELP DCGM_FI_DEV_FB_FREE Framebuffer memory free (in MiB).
      # TYPE DCGM_FI_DEV_FB_FREE gauge
      DCGM_FI_DEV_FB_FREE{gpu="0",UUID="GPU-4a2b6c1e-8f0d-3e5a-9b7c-1d2e3f405162",pci_bus_id="00000000:00:1B.0",device="nvidia0",modelName="NVIDIA A10G",Hostname="ip-10-0-1-17.ec2.internal",DCGM_FI_DRIVER_VERSION="535.183.01",container="model",namespace="team-a",pod="llama-6f7d9c8b5-2xkqp"} 4564
      DCGM_FI_DEV_FB_FREE{gpu="1",UUID="GPU-7c3d5e2f-1a9b-4c8d-a6e5-2f3a4b5c6d7e",pci_bus_id="00000000:00:1C.0",device="nvidia1",modelName="NVIDIA A10G",Hostname="ip-10-0-1-17.ec2.internal",DCGM_FI_DRIVER_VERSION="535.183.01",container="model",namespace="team-a",pod="llama-6f7d9c8b5-2xkqp"} 5564
      DCGM_FI_DEV_FB_FREE{gpu="2",UUID="GPU-9e8d7c6b-5a4f-3e2d-1c0b-a9f8e7d6c5b4",pci_bus_id="00000000:00:1D.0",device="nvidia2",modelName="NVIDIA A10G",Hostname="ip-10-0-1-17.ec2.internal",DCGM_FI_DRIVER_VERSION="535.183.01",container="model",namespace="team-b",pod="llama-6f7d9c8b5-2xkqp"} 11282
      DCGM_FI_DEV_FB_FREE{gpu="3",UUID="GPU-0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9",pci_bus_id="00000000:00:1E.0",device="nvidia3",modelName="NVIDIA A10G",Hostname="ip-10-0-1-17.ec2.internal",DCGM_FI_DRIVER_VERSION="535.183.01",container="",namespace="",pod=""} 22564
      # HELP DCGM_FI_DEV_FB_USED Framebuffer memory used (in MiB).
      # TYPE DCGM_FI_DEV_FB_USED gauge
      DCGM_FI_DEV_FB_USED{gpu="0",UUID="GPU-4a2b6c1e-8f0d-3e5a-9b7c-1d2e3f405162",pci_bus_id="00000000:00:1B.0",device="nvidia0",modelName="NVIDIA A10G",Hostname="ip-10-0-1-17.ec2.internal",DCGM_FI_DRIVER_VERSION="535.183.01",container="model",namespace="team-a",pod="llama-6f7d9c8b5-2xkqp"} 18000
      DCGM_FI_DEV_FB_USED{gpu="1",UUID="GPU-7c3d5e2f-1a9b-4c8d-a6e5-2f3a4b5c6d7e",pci_bus_id="00000000:00:1C.0",device="nvidia1",modelName="NVIDIA A10G",Hostname="ip-10-0-1-17.ec2.internal",DCGM_FI_DRIVER_VERSION="535.183.01",container="model",namespace="team-a",pod="llama-6f7d9c8b5-2xkqp"} 17000
      DCGM_FI_DEV_FB_USED{gpu="2",UUID="GPU-9e8d7c6b-5a4f-3e2d-1c0b-a9f8e7d6c5b4",pci_bus_id="00000000:00:1D.0",device="nvidia2",modelName="NVIDIA A10G",Hostname="ip-10-0-1-17.ec2.internal",DCGM_FI_DRIVER_VERSION="535.183.01",container="model",namespace="team-b",pod="llama-6f7d9c8b5-2xkqp"} 11282
      DCGM_FI_DEV_FB_USED{gpu="3",UUID="GPU-0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9",pci_bus_id="00000000:00:1E.0",device="nvidia3",modelName="NVIDIA A10G",Hostname="ip-10-0-1-17.ec2.internal",DCGM_FI_DRIVER_VERSION="535.183.01",container="",namespace="",pod=""} 0
      # HELP DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION Total energy consumption since boot (in mJ).
      # TYPE DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION counter
      DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION{gpu="0",UUID="GPU-4a2b6c1e-8f0d-3e5a-9b7c-1d2e3f405162",pci_bus_id="00000000:00:1B.0",device="nvidia0",modelName="NVIDIA A10G",Hostname="ip-10-0-1-17.ec2.internal",DCGM_FI_DRIVER_VERSION="535.183.01",container="model",namespace="team-a",pod="llama-6f7d9c8b5-2xkqp"} 2947385712
      """;

  /** A g5.xlarge (one A10G, also index 0): team-a's second copy. */
  private static final String NODE_2 =
      """
      # HELP DCGM_FI_DEV_GPU_UTIL GPU utilization (in %).
      # TYPE DCGM_FI_DEV_GPU_UTIL gauge
      DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901",pci_bus_id="00000000:00:1E.0",device="nvidia0",modelName="NVIDIA A10G",Hostname="ip-10-0-2-40.ec2.internal",DCGM_FI_DRIVER_VERSION="535.183.01",container="model",namespace="team-a",pod="llama-6f7d9c8b5-7hmtd"} 40
      # HELP DCGM_FI_DEV_FB_FREE Framebuffer memory free (in MiB).
      # TYPE DCGM_FI_DEV_FB_FREE gauge
      DCGM_FI_DEV_FB_FREE{gpu="0",UUID="GPU-1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901",pci_bus_id="00000000:00:1E.0",device="nvidia0",modelName="NVIDIA A10G",Hostname="ip-10-0-2-40.ec2.internal",DCGM_FI_DRIVER_VERSION="535.183.01",container="model",namespace="team-a",pod="llama-6f7d9c8b5-7hmtd"} 13564
      # HELP DCGM_FI_DEV_FB_USED Framebuffer memory used (in MiB).
      # TYPE DCGM_FI_DEV_FB_USED gauge
      DCGM_FI_DEV_FB_USED{gpu="0",UUID="GPU-1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901",pci_bus_id="00000000:00:1E.0",device="nvidia0",modelName="NVIDIA A10G",Hostname="ip-10-0-2-40.ec2.internal",DCGM_FI_DRIVER_VERSION="535.183.01",container="model",namespace="team-a",pod="llama-6f7d9c8b5-7hmtd"} 9000
      """;

  @Test
  void eachComponentAveragesItsOwnGpusAcrossNodes() {
    var metrics =
        DcgmReadings.of(
            List.of(NODE_1, NODE_2),
            Map.of(
                LLAMA, Set.of("llama-6f7d9c8b5-2xkqp", "llama-6f7d9c8b5-7hmtd"),
                OTHER_LLAMA, Set.of("llama-6f7d9c8b5-2xkqp"),
                IDLE, Set.of("whisper-5d4c3b2a1-q8r7s")));

    // Three GPUs: 0 and 1 on the first node, 0 on the second (the same index, another GPU).
    assertThat(metrics.get(LLAMA).get(GPU_UTILIZATION)).isCloseTo(60.0, within(1e-9));
    assertThat(metrics.get(LLAMA).get(GPU_MEMORY_UTILIZATION))
        .isCloseTo((100 * 18000 / FB + 100 * 17000 / FB + 100 * 9000 / FB) / 3, within(1e-9));
    // The namespace tells the two components' pods of the same name apart.
    assertThat(metrics.get(OTHER_LLAMA))
        .containsEntry(GPU_UTILIZATION, 5.0)
        .containsEntry(GPU_MEMORY_UTILIZATION, 50.0);
    // None of its GPUs appear: nothing, not zero. The free GPU 3 belongs to no one.
    assertThat(metrics).doesNotContainKey(IDLE).hasSize(2);
  }

  @Test
  void noExporterAnsweredMeansNoValue() {
    assertThat(DcgmReadings.of(List.of(), Map.of(LLAMA, Set.of("llama-6f7d9c8b5-2xkqp"))))
        .isEmpty();
  }

  /** Time-slicing: the exporter repeats a shared GPU's series for each pod holding it. */
  @Test
  void aGpuSharedByTwoCopiesCountsOnceForTheirComponent() {
    String shared =
        """
        # TYPE DCGM_FI_DEV_GPU_UTIL gauge
        DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-a",device="nvidia0",modelName="Tesla T4",Hostname="n1",container="model",namespace="team-a",pod="llama-a"} 90
        DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-a",device="nvidia0",modelName="Tesla T4",Hostname="n1",container="model",namespace="team-a",pod="llama-b"} 90
        DCGM_FI_DEV_GPU_UTIL{gpu="1",UUID="GPU-b",device="nvidia1",modelName="Tesla T4",Hostname="n1",container="model",namespace="team-a",pod="llama-c"} 30
        """;

    var metrics =
        DcgmReadings.of(List.of(shared), Map.of(LLAMA, Set.of("llama-a", "llama-b", "llama-c")));

    assertThat(metrics.get(LLAMA)).containsExactly(Map.entry(GPU_UTILIZATION, 60.0));
  }

  /**
   * MIG: DCGM reports no utilization for a GPU instance, but memory per instance ({@code GPU_I_ID}
   * tells the instances of one GPU apart).
   */
  @Test
  void migInstancesCountAsGpusAndGiveOnlyMemory() {
    String mig =
        """
        # TYPE DCGM_FI_DEV_FB_USED gauge
        DCGM_FI_DEV_FB_USED{gpu="1",UUID="GPU-c",device="nvidia1",modelName="NVIDIA A100-SXM4-40GB",GPU_I_PROFILE="1g.5gb",GPU_I_ID="8",Hostname="n2",DCGM_FI_DRIVER_VERSION="535.104.05",container="model",namespace="team-a",pod="llama-a"} 3000
        DCGM_FI_DEV_FB_USED{gpu="1",UUID="GPU-c",device="nvidia1",modelName="NVIDIA A100-SXM4-40GB",GPU_I_PROFILE="1g.5gb",GPU_I_ID="9",Hostname="n2",DCGM_FI_DRIVER_VERSION="535.104.05",container="model",namespace="team-a",pod="llama-b"} 1000
        # TYPE DCGM_FI_DEV_FB_FREE gauge
        DCGM_FI_DEV_FB_FREE{gpu="1",UUID="GPU-c",device="nvidia1",modelName="NVIDIA A100-SXM4-40GB",GPU_I_PROFILE="1g.5gb",GPU_I_ID="8",Hostname="n2",DCGM_FI_DRIVER_VERSION="535.104.05",container="model",namespace="team-a",pod="llama-a"} 1000
        DCGM_FI_DEV_FB_FREE{gpu="1",UUID="GPU-c",device="nvidia1",modelName="NVIDIA A100-SXM4-40GB",GPU_I_PROFILE="1g.5gb",GPU_I_ID="9",Hostname="n2",DCGM_FI_DRIVER_VERSION="535.104.05",container="model",namespace="team-a",pod="llama-b"} 3000
        """;

    var metrics = DcgmReadings.of(List.of(mig), Map.of(LLAMA, Set.of("llama-a", "llama-b")));

    assertThat(metrics.get(LLAMA)).containsExactly(Map.entry(GPU_MEMORY_UTILIZATION, 50.0));
  }

  /** dcgm-exporter's --use-old-namespace names the labels pod_name and pod_namespace. */
  @Test
  void theOldLabelNamesAreReadToo() {
    String old =
        """
        DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-a",device="nvidia0",modelName="Tesla T4",Hostname="n1",container_name="model",pod_namespace="team-a",pod_name="llama-a"} 42
        """;

    assertThat(DcgmReadings.of(List.of(old), Map.of(LLAMA, Set.of("llama-a"))).get(LLAMA))
        .containsExactly(Map.entry(GPU_UTILIZATION, 42.0));
  }
}
