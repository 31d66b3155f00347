package dev.ebb.testing;

import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.ConditionedStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * A namespace of the test API server and what the ITs do in it: server-side apply manifests, read
 * Ebb's objects, wait for their status. Every wait is bounded by {@link #timeout()}, so each IT
 * keeps its own. {@link TestNamespaceExtension} gives each test a fresh one.
 */
public interface Namespace {

  /** The namespace's name (as the operator, the gateway and SageMaker names see it). */
  String name();

  KubernetesClient client();

  /** The bound of every wait of this namespace. */
  Duration timeout();

  /** Server-side applies a (multi-document) YAML of any kinds in the namespace. */
  default void apply(String yaml) {
    client().load(utf8(yaml)).inNamespace(name()).serverSideApply();
  }

  /** Server-side applies one object of {@code type}, read from YAML, in the namespace. */
  default <T extends HasMetadata> void apply(Class<T> type, String yaml) {
    resources(type).load(utf8(yaml)).serverSideApply();
  }

  /** Server-side applies a (multi-document) YAML file, e.g. a sample, in the namespace. */
  default void apply(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      client().load(in).inNamespace(name()).serverSideApply();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The objects of {@code type} in the namespace. */
  default <T extends HasMetadata>
      NonNamespaceOperation<T, KubernetesResourceList<T>, Resource<T>> resources(Class<T> type) {
    return client().resources(type).inNamespace(name());
  }

  /** The object, or null. */
  default <T extends HasMetadata> T get(Class<T> type, String name) {
    return resources(type).withName(name).get();
  }

  /** Waits until the object exists, has a status and matches {@code condition}; returns it. */
  default <T extends CustomResource<?, ? extends ConditionedStatus>> T awaitStatus(
      Class<T> type, String name, Predicate<? super T> condition) {
    return Awaitility.await()
        .atMost(timeout())
        .until(() -> get(type, name), o -> o != null && o.getStatus() != null && condition.test(o));
  }

  /** Waits until the object is {@link #ready}: Ready is True for its current generation. */
  default <T extends CustomResource<?, ? extends ConditionedStatus>> T awaitReady(
      Class<T> type, String name) {
    return awaitStatus(type, name, Namespace::ready);
  }

  /** Waits until the object is Stalled (True) for {@code reason}. */
  default <T extends CustomResource<?, ? extends ConditionedStatus>> T awaitStalled(
      Class<T> type, String name, String reason) {
    return awaitStatus(type, name, o -> stalled(o, reason));
  }

  /**
   * Waits until the object's condition {@code conditionType} has {@code status} and {@code reason},
   * in a status observed for {@code generation}, which is also the object's generation.
   */
  default <T extends CustomResource<?, ? extends ConditionedStatus>> T awaitCondition(
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
  default <T extends HasMetadata> void awaitGone(Class<T> type, String name) {
    Awaitility.await().atMost(timeout()).until(() -> get(type, name) == null);
  }

  /** Deletes the namespace (the test API server has no namespace controller: objects stay). */
  default void delete() {
    client().namespaces().withName(name()).delete();
  }

  /**
   * Ready is True and the status was observed for the object's current generation (false for a null
   * object or status).
   */
  static boolean ready(CustomResource<?, ? extends ConditionedStatus> object) {
    if (object == null || object.getStatus() == null) {
      return false;
    }
    Condition ready = object.getStatus().condition(Condition.READY);
    return ready != null
        && "True".equals(ready.status())
        && object.getMetadata().getGeneration().equals(object.getStatus().observedGeneration());
  }

  /** Stalled is True for {@code reason} (false for a null object or status). */
  static boolean stalled(CustomResource<?, ? extends ConditionedStatus> object, String reason) {
    if (object == null || object.getStatus() == null) {
      return false;
    }
    Condition stalled = object.getStatus().condition(Condition.STALLED);
    return stalled != null && "True".equals(stalled.status()) && reason.equals(stalled.reason());
  }

  private static InputStream utf8(String yaml) {
    return new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8));
  }
}
