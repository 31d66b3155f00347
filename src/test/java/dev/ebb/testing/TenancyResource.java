package dev.ebb.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Tenancy on, its ConfigMap {@link #CONFIG_MAP} in {@link #NAMESPACE} (which the test writes).
 * Unlike the other resources, use it with {@code restrictToAnnotatedClass = true}: with tenancy on,
 * every namespace the ConfigMap does not list is refused SageMaker, which the other ITs do not
 * expect. (Quarkus restarts the application for that class.)
 */
public class TenancyResource implements QuarkusTestResourceLifecycleManager {
  public static final String NAMESPACE = "ebb-tenancy-it";
  public static final String CONFIG_MAP = "ebb-tenancy";

  @Override
  public Map<String, String> start() {
    return Map.of(
        "ebb.tenancy.enabled", "true",
        "ebb.tenancy.namespace", NAMESPACE,
        "ebb.tenancy.config-map", CONFIG_MAP);
  }

  @Override
  public void stop() {}
}
