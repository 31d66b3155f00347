package dev.ebb.gateway.access;

import dev.ebb.config.PrunedItemStore;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vertx.core.Future;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API keys of each Secret an endpoint's {@code spec.access.apiKeys} names, known by a watch on
 * that one Secret (so the operator needs no cluster-wide read of Secrets, and a rotated key works
 * or stops working within seconds). Keys are kept only as SHA-256 digests and compared in constant
 * time.
 */
@ApplicationScoped
public class ApiKeySecrets {
  private final KubernetesClient client;
  private final Map<String, Watched> watched = new ConcurrentHashMap<>();

  public ApiKeySecrets(KubernetesClient client) {
    this.client = client;
  }

  /** A watched Secret and the digests of its keys at the resource version they were read from. */
  private static final class Watched {
    final SharedIndexInformer<Secret> informer;
    final Future<Void> synced;
    volatile Digests digests = new Digests(null, List.of());

    Watched(SharedIndexInformer<Secret> informer) {
      this.informer = informer;
      this.synced = Future.fromCompletionStage(informer.start());
    }
  }

  private record Digests(String resourceVersion, List<byte[]> keys) {}

  /** What checking a key against a Secret found. */
  public enum Match {
    MATCHES,
    NO_MATCH,
    /** The Secret does not exist, or holds no key: nothing can match. */
    NO_SECRET
  }

  /** Whether {@code key} is one of the keys in Secret {@code namespace/name}. */
  public Future<Match> check(String namespace, String name, String key) {
    String id = namespace + "/" + name;
    Watched secret = watched.computeIfAbsent(id, k -> new Watched(watch(namespace, name)));
    return secret
        .synced
        .onFailure(
            // A watch that could not start (no permission yet, the API server away) is tried
            // again by the next request rather than kept failed.
            e -> {
              if (watched.remove(id, secret)) {
                secret.informer.close();
              }
            })
        .map(ready -> match(secret, id, key));
  }

  /** Stops watching Secrets no endpoint names any more ({@code namespace/name}). */
  public void retainOnly(Set<String> referenced) {
    watched
        .entrySet()
        .removeIf(
            e -> {
              if (referenced.contains(e.getKey())) {
                return false;
              }
              e.getValue().informer.close();
              return true;
            });
  }

  private SharedIndexInformer<Secret> watch(String namespace, String name) {
    return client
        .secrets()
        .inNamespace(namespace)
        .withName(name)
        .runnableInformer(0)
        .itemStore(new PrunedItemStore<>());
  }

  private static Match match(Watched secret, String key, String presented) {
    Secret current = secret.informer.getStore().getByKey(key);
    if (current == null) {
      return Match.NO_SECRET;
    }
    Digests digests = secret.digests;
    String version = current.getMetadata().getResourceVersion();
    if (!Objects.equals(digests.resourceVersion, version)) {
      digests = new Digests(version, digestsOf(current));
      secret.digests = digests;
    }
    if (digests.keys.isEmpty()) {
      return Match.NO_SECRET;
    }
    byte[] candidate = Credentials.sha256(presented);
    boolean found = false;
    for (byte[] accepted : digests.keys) {
      // Every key is compared, and each in constant time: the answer's timing says nothing.
      found |= MessageDigest.isEqual(accepted, candidate);
    }
    return found ? Match.MATCHES : Match.NO_MATCH;
  }

  /**
   * Every data value is a key, with surrounding whitespace dropped: a Secret made with {@code
   * kubectl create secret --from-file} keeps the file's trailing newline.
   */
  private static List<byte[]> digestsOf(Secret secret) {
    Map<String, String> data = Optional.ofNullable(secret.getData()).orElse(Map.of());
    Map<String, String> plain = Optional.ofNullable(secret.getStringData()).orElse(Map.of());
    return java.util.stream.Stream.concat(
            data.values().stream()
                .map(v -> new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)),
            plain.values().stream())
        .map(String::trim)
        .filter(k -> !k.isEmpty())
        .map(Credentials::sha256)
        .toList();
  }

  @PreDestroy
  void stop() {
    retainOnly(Set.of());
  }
}
