package dev.ebb.testing;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Tenancy on for every {@code @QuarkusTest} (they share one application, like every resource here),
 * with its ConfigMap {@link #CONFIG_MAP} in {@link #NAMESPACE} created before the operator starts
 * and granting every namespace everything ({@link #ALLOW_ALL}): the other ITs see the behaviour of
 * tenancy off, through the code path of tenancy on. TenancyIT puts its own tenants before that
 * catch-all, for its namespaces only (the first tenant that matches is a namespace's). A resource
 * that restarted the application for one class would break the classes after it (the AWS SDK keeps
 * state across Quarkus' class loaders), hence one configuration for all.
 */
public class TenancyResource implements QuarkusTestResourceLifecycleManager {
  public static final String NAMESPACE = "ebb-tenancy-it";
  public static final String CONFIG_MAP = "ebb-tenancy";

  /** Any namespace, any role, any region, any adoption: tenancy off, in effect. */
  public static final String ALLOW_ALL =
      """
      - namespaces: ["*"]
        executionRoleArns: ["*"]
        adoption: {allowed: true}
      """;

  @Override
  public Map<String, String> start() {
    writeTenants(ALLOW_ALL);
    return Map.of(
        "ebb.tenancy.enabled", "true",
        "ebb.tenancy.namespace", NAMESPACE,
        "ebb.tenancy.config-map", CONFIG_MAP);
  }

  /** Writes {@code tenants} (a YAML list of tenants) as the ConfigMap's tenants.yaml. */
  public static void writeTenants(String tenants) {
    try (var client = EmbeddedApiServer.newClient()) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
          .serverSideApply();
      client
          .configMaps()
          .inNamespace(NAMESPACE)
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName(CONFIG_MAP)
                  .endMetadata()
                  .withData(Map.of("tenants.yaml", "tenants:\n" + tenants))
                  .build())
          .serverSideApply();
    }
  }

  @Override
  public void stop() {}
}
