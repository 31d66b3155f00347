package dev.ebb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The fake GPU device plugin's own Go tests ({@code hack/node/fake-gpu-plugin}), against kubelet's
 * device-plugin API as Kubernetes publishes it: registration, serving, re-registration after a
 * kubelet restart, and waiting for kubelet on a fresh node. The real node of {@code LocalNodeE2EIT}
 * depends on each.
 */
class FakeGpuPluginIT {
  @Test
  void itsGoTestsPass() throws IOException, InterruptedException {
    Process go =
        new ProcessBuilder("go", "test", "-count=1", "./...")
            .directory(Path.of("hack/node/fake-gpu-plugin").toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(go.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(go.waitFor(5, TimeUnit.MINUTES)).as(out).isTrue();
    assertThat(go.exitValue()).as(out).isZero();
    assertThat(out).contains("ok");
  }
}
