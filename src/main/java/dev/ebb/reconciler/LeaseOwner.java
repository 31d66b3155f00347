package dev.ebb.reconciler;

import dev.ebb.config.LeaderElectionConfig;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Makes the leader-election Lease a dependent of the Helm chart's Role. The operator SDK creates
 * the Lease at the first election, outside the release, so `helm uninstall` would leave it behind;
 * a replica cannot delete it while it stops either, because the uninstall removes its RBAC at the
 * same moment. With the Role as its owner, Kubernetes' garbage collector deletes the Lease when the
 * Role goes. Every new leader sets it, so a Lease created again later is owned too.
 */
final class LeaseOwner {
  private static final Logger LOG = Logger.getLogger(LeaseOwner.class);

  private LeaseOwner() {}

  /** Called when this replica starts leading; a failure is logged, never fatal. */
  static void claim(KubernetesClient client, LeaderElectionConfig config) {
    if (config.ownerRole().isEmpty()) {
      return;
    }
    String namespace = config.namespace().orElseGet(client::getNamespace);
    String roleName = config.ownerRole().get();
    try {
      Role role = client.rbac().roles().inNamespace(namespace).withName(roleName).get();
      if (role == null) {
        LOG.warnf(
            "the Lease's owner Role %s/%s does not exist: the Lease stays unowned",
            namespace, roleName);
        return;
      }
      Map<String, Object> owner =
          Map.of(
              "apiVersion",
              "rbac.authorization.k8s.io/v1",
              "kind",
              "Role",
              "name",
              roleName,
              "uid",
              role.getMetadata().getUid());
      client
          .leases()
          .inNamespace(namespace)
          .withName(config.leaseName())
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              client
                  .getKubernetesSerialization()
                  .asJson(Map.of("metadata", Map.of("ownerReferences", List.of(owner)))));
    } catch (KubernetesClientException e) {
      LOG.warnf(
          "could not make Role %s/%s the Lease's owner (it may outlive an uninstall): %s",
          namespace, roleName, e.getMessage());
    }
  }
}
