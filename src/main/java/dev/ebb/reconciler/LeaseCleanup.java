package dev.ebb.reconciler;

import dev.ebb.config.LeaderElectionConfig;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * The replica that holds the leader Lease when it stops deletes it, so the Lease never outlives the
 * operator: `helm uninstall` leaves nothing behind (the operator SDK creates the Lease at the first
 * election, outside Helm's release). The next leader simply creates it again. The delete names the
 * Lease's resourceVersion as read, so a Lease another replica has taken since is left alone.
 *
 * <p>Runs after the operator SDK stopped (its shutdown observer has the default priority), so this
 * replica's elector can no longer renew, or re-create, what was just deleted.
 */
@ApplicationScoped
class LeaseCleanup {
  private static final Logger LOG = Logger.getLogger(LeaseCleanup.class);

  private final KubernetesClient client;
  private final LeaderElectionConfig config;

  LeaseCleanup(KubernetesClient client, LeaderElectionConfig config) {
    this.client = client;
    this.config = config;
  }

  void onStop(@Observes @Priority(4000) ShutdownEvent event) {
    String identity = LeaderElection.IDENTITY.get();
    if (identity == null || !config.enabled()) {
      return;
    }
    String namespace = config.namespace().orElseGet(client::getNamespace);
    try {
      var resource = client.leases().inNamespace(namespace).withName(config.leaseName());
      Lease lease = resource.get();
      if (lease == null
          || lease.getSpec() == null
          || !identity.equals(lease.getSpec().getHolderIdentity())) {
        return;
      }
      resource.lockResourceVersion(lease.getMetadata().getResourceVersion()).delete();
      LOG.infof("stopping as the leader: deleted the Lease %s/%s", namespace, config.leaseName());
    } catch (KubernetesClientException e) {
      // Taken by another replica meanwhile (409), already gone (404), or no API server: leave it.
      LOG.debugf("left the Lease %s/%s: %s", namespace, config.leaseName(), e.getMessage());
    }
  }
}
