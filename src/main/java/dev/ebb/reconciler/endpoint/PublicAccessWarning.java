package dev.ebb.reconciler.endpoint;

import dev.ebb.api.v1alpha1.GatewayAccess;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Warns when an endpoint is opened to every caller ({@code spec.access.public: true}): once, when
 * the generation that turns it public is first reconciled, not on every pass or request. The status
 * remembers what was reported ({@code status.access}), so a restart of the operator does not warn
 * again, and an endpoint closed and opened again warns again.
 */
final class PublicAccessWarning {
  private static final Logger LOG = Logger.getLogger(PublicAccessWarning.class);

  private PublicAccessWarning() {}

  /** Logs the warning if {@code endpoint} just became public. */
  static void logIfNew(InferenceEndpoint endpoint) {
    message(endpoint).ifPresent(LOG::warn);
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
