package dev.ebb.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * Which namespaces may use which execution roles, regions and adoptions, as cluster admins set it
 * in a ConfigMap in Ebb's own namespace (docs/tenancy.md). Properties {@code ebb.tenancy.*};
 * environment {@code EBB_TENANCY_*}.
 */
@ConfigMapping(prefix = "ebb.tenancy")
public interface TenancyConfig {
  /**
   * Check every SageMaker object against the ConfigMap before any AWS call. Off by default, which
   * keeps the behaviour of releases before tenancy (every namespace may use any role, region and
   * adoption); turn it on for a cluster shared by teams.
   */
  @WithDefault("false")
  boolean enabled();

  /** Name of the ConfigMap (in {@link #namespace()}) that holds the rights. */
  @WithDefault("ebb-tenancy")
  String configMap();

  /**
   * Namespace of the ConfigMap. Unset: Ebb's own namespace ({@code ebb.cluster.namespace}, which
   * the chart sets), else the client's namespace.
   */
  Optional<String> namespace();
}
