package dev.ebb.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The sandbox exposes nothing beyond this machine: the test API server and its etcd, the SageMaker
 * simulator, the operator under test (gateway and management ports) and a packaged replica in the
 * prod profile, as the ITs start them, listen on loopback addresses only.
 */
@QuarkusTest
@QuarkusTestResource(RealApiServerResource.class)
@QuarkusTestResource(SimulatorResource.class)
class LoopbackOnlyIT {
  @Test
  void everyListeningSocketOfTheSandboxIsOnLoopback() {
    String leases;
    try (var client = EmbeddedApiServer.newClient()) {
      leases = TestNamespace.create(client, "loopback-leases");
    }
    try (EbbProcess replica =
        EbbProcess.againstTestApiServer(
            "loopback-replica", Map.of("ebb.leader-election.namespace", leases))) {
      List<Long> pids = new ArrayList<>();
      pids.add(ProcessHandle.current().pid());
      ProcessHandle.current().descendants().forEach(p -> pids.add(p.pid()));

      List<ListeningSockets.Listener> listeners = ListeningSockets.of(pids);
      System.out.println("[ebb-tests] sandbox listeners: " + listeners);

      assertThat(listeners)
          .as("the sandbox's processes listen (etcd, kube-apiserver, this JVM, the replica)")
          .extracting(ListeningSockets.Listener::command)
          .contains("etcd-server", "kube-apiserver", "java");
      assertThat(listeners).extracting(ListeningSockets.Listener::pid).contains(replica.pid());
      assertThat(listeners)
          .allSatisfy(l -> assertThat(l.address().isLoopbackAddress()).as(l.toString()).isTrue());
    }
  }
}
