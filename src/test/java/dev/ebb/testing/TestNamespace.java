package dev.ebb.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.atomic.AtomicInteger;

/** A fresh namespace per test, so tests never see each other's objects. */
public final class TestNamespace {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private TestNamespace() {}

  public static String create(KubernetesClient client, String prefix) {
    String name = prefix + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    return name;
  }
}
