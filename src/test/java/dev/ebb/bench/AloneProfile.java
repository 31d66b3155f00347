package dev.ebb.bench;

import dev.ebb.testing.RealApiServerResource;
import dev.ebb.testing.SimulatorResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/**
 * A benchmark's {@code @QuarkusTest} operator with only what it measures beside it: the API server
 * and the simulator. Without this profile, every test resource of the suite would start too, the
 * second operator process of {@code GatewayReplicasIT} among them (Quarkus applies a test resource
 * to every {@code @QuarkusTest} unless it is restricted to its class).
 */
public class AloneProfile implements QuarkusTestProfile {
  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(
        new TestResourceEntry(RealApiServerResource.class),
        new TestResourceEntry(SimulatorResource.class));
  }

  @Override
  public boolean disableGlobalTestResources() {
    return true;
  }
}
