package dev.ebb.reconciler.endpoint;

import dev.ebb.api.v1alpha1.GatewayAccess;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Warns when an endpoint is opened to every caller ({@code spec.access.public: true}): once, when
 * the generation that turns it public is first reconciled, not on every pass or request. The status
 * remembers what was reported ({@code status.access}), so a restart of the operator does not warn
 * again, and an endpoint closed and opened again warns again; the generations warned about here
 * cover the passes that run before the status that says Public is back in the cache.
 */
final class PublicAccessWarning {
  private static final Logger LOG = Logger.getLogger(PublicAccessWarning.class);

  /** The generation last warned about, by uid; an endpoint no longer public is forgotten. */
  private final Map<String, Long> warned = new ConcurrentHashMap<>();

  /** Logs the warning if {@code endpoint} just became public; says whether it did. */
  boolean logIfNew(InferenceEndpoint endpoint) {
    String uid = endpoint.getMetadata().getUid();
    Optional<String> message = message(endpoint);
    if (message.isEmpty()) {
      if (!GatewayAccess.isPublic(endpoint.getSpec().access()) && uid != null) {
        warned.remove(uid);
      }
      return false;
    }
    Long generation = endpoint.getMetadata().getGeneration();
    Long previous = uid == null ? null : warned.put(uid, generation == null ? -1L : generation);
    if (previous != null && previous.equals(generation)) {
      return false;
    }
    LOG.warn(message.get());
    return true;
  }

  /** The warning, when {@code endpoint} is public and its status does not say so yet. */
  static Optional<String> message(InferenceEndpoint endpoint) {
    if (!GatewayAccess.isPublic(endpoint.getSpec().access())) {
      return Optional.empty();
    }
    var status = endpoint.getStatus();
    if (status != null && GatewayAccess.MODE_PUBLIC.equals(status.access())) {
      return Optional.empty();
    }
    return Optional.of(
        "InferenceEndpoint "
            + endpoint.getMetadata().getNamespace()
            + "/"
            + endpoint.getMetadata().getName()
            + " (generation "
            + endpoint.getMetadata().getGeneration()
            + ") has spec.access.public: true: every caller that can reach the Ebb gateway may"
            + " invoke it without a credential.");
  }
}
