package dev.ebb.testing;

import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.ConditionedStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * A namespace of the test API server and what the ITs do in it: server-side apply manifests, read
 * Ebb's objects, wait for their status. Every wait is bounded by {@link #timeout()}, so each IT
 * keeps its own. {@link TestNamespaceExtension} gives each test a fresh one, deleted after it.
 */
public abstract class TestNamespace {

  private static final AtomicInteger COUNTER = new AtomicInteger();

  /**
   * Creates a fresh namespace {@code prefix-<pid>-<n>}, so tests never see each other's objects;
   * returns its name. The next {@code n} is taken if the name exists: this class may be loaded more
   * than once in a JVM (Quarkus tests run in class loaders of their own), each copy counting alone.
   */
  public static String create(KubernetesClient client, String prefix) {
    while (true) {
      String name = prefix + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
      try {
        client
            .namespaces()
            .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
            .create();
        return name;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
      }
    }
  }

  /** A handle on the existing namespace {@code name} (deleted by no one but its creator). */
  public static TestNamespace of(KubernetesClient client, String name, Duration timeout) {
    return new Existing(client, name, timeout);
  }

  /** The namespace's name (as the operator, the gateway and SageMaker names see it). */
  public abstract String name();

  public abstract KubernetesClient client();

  /** The bound of every wait of this namespace. */
  public abstract Duration timeout();

  /** The name, so that {@code "x-" + ns} reads as it would with the name itself. */
  @Override
  public String toString() {
    return name();
  }

  /** Server-side applies a (multi-document) YAML of any kinds in the namespace. */
  public void apply(String yaml) {
    client().load(utf8(yaml)).inNamespace(name()).serverSideApply();
  }

  /** Server-side applies one object of {@code type}, read from YAML, in the namespace. */
  public <T extends HasMetadata> void apply(Class<T> type, String yaml) {
    resources(type).load(utf8(yaml)).serverSideApply();
  }

  /** Server-side applies a (multi-document) YAML file, e.g. a sample, in the namespace. */
  public void apply(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      client().load(in).inNamespace(name()).serverSideApply();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The objects of {@code type} in the namespace. */
  public <T extends HasMetadata>
      NonNamespaceOperation<T, KubernetesResourceList<T>, Resource<T>> resources(Class<T> type) {
    return client().resources(type).inNamespace(name());
  }

  /** The object, or null. */
  public <T extends HasMetadata> T get(Class<T> type, String name) {
    return resources(type).withName(name).get();
  }

  /** Waits until the object exists, has a status and matches {@code condition}; returns it. */
  public <T extends CustomResource<?, ? extends ConditionedStatus>> T awaitStatus(
      Class<T> type, String name, Predicate<? super T> condition) {
    return Awaitility.await()
        .atMost(timeout())
        .until(() -> get(type, name), o -> o != null && o.getStatus() != null && condition.test(o));
  }

  /** Waits until the object is {@link #ready}: Ready is True for its current generation. */
  public <T extends CustomResource<?, ? extends ConditionedStatus>> T awaitReady(
      Class<T> type, String name) {
    return awaitStatus(type, name, TestNamespace::ready);
  }

  /** Waits until the object is Stalled (True) for {@code reason}. */
  public <T extends CustomResource<?, ? extends ConditionedStatus>> T awaitStalled(
      Class<T> type, String name, String reason) {
    return awaitStatus(type, name, o -> stalled(o, reason));
  }

  /**
   * Waits until the object's condition {@code conditionType} has {@code status} and {@code reason},
   * in a status observed for {@code generation}, which is also the object's generation.
   */
  public <T extends CustomResource<?, ? extends ConditionedStatus>> T awaitCondition(
      Class<T> type,
      String name,
      String conditionType,
      String status,
      String reason,
      long generation) {
    return awaitStatus(
        type,
        name,
        o -> {
          Condition c = o.getStatus().condition(conditionType);
          return c != null
              && status.equals(c.status())
              && reason.equals(c.reason())
              && Long.valueOf(generation).equals(o.getStatus().observedGeneration())
              && Long.valueOf(generation).equals(o.getMetadata().getGeneration());
        });
  }

  /** Waits until the object is gone (deleted, its finalizers done). */
  public <T extends HasMetadata> void awaitGone(Class<T> type, String name) {
    Awaitility.await().atMost(timeout()).until(() -> get(type, name) == null);
  }

  /** Deletes the namespace (the test API server has no namespace controller: objects stay). */
  public void delete() {
    client().namespaces().withName(name()).delete();
  }

  /**
   * Ready is True and the status was observed for the object's current generation (false for a null
   * object or status).
   */
  public static boolean ready(CustomResource<?, ? extends ConditionedStatus> object) {
    if (object == null || object.getStatus() == null) {
      return false;
    }
    Condition ready = object.getStatus().condition(Condition.READY);
    return ready != null
        && "True".equals(ready.status())
        && object.getMetadata().getGeneration().equals(object.getStatus().observedGeneration());
  }

  /** Stalled is True for {@code reason} (false for a null object or status). */
  public static boolean stalled(
      CustomResource<?, ? extends ConditionedStatus> object, String reason) {
    if (object == null || object.getStatus() == null) {
      return false;
    }
    Condition stalled = object.getStatus().condition(Condition.STALLED);
    return stalled != null && "True".equals(stalled.status()) && reason.equals(stalled.reason());
  }

  private static InputStream utf8(String yaml) {
    return new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8));
  }

  private static final class Existing extends TestNamespace {
    private final KubernetesClient client;
    private final String name;
    private final Duration timeout;

    Existing(KubernetesClient client, String name, Duration timeout) {
      this.client = client;
      this.name = name;
      this.timeout = timeout;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public KubernetesClient client() {
      return client;
    }

    @Override
    public Duration timeout() {
      return timeout;
    }
  }
}
