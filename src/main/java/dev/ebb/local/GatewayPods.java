package dev.ebb.local;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where Ebb's own pods (the gateway) run and the labels that select them: the only source a model
 * pod's NetworkPolicy admits. The Helm chart gives both ({@code ebb.local.network-policy.*}).
 *
 * @param namespace the namespace of Ebb's pods
 * @param labels labels every Ebb pod carries (the chart's selector labels)
 */
public record GatewayPods(String namespace, Map<String, String> labels) {
  public GatewayPods {
    labels = Map.copyOf(labels);
  }

  /**
   * The gateway's pods from configuration: present only when NetworkPolicies are wanted and both
   * the namespace and the selector are known (outside the chart, e.g. in development, they are not,
   * and no policy is written).
   *
   * @param selector an equality label selector, {@code key=value[,key=value...]}
   */
  public static Optional<GatewayPods> of(
      boolean enabled, Optional<String> namespace, Optional<String> selector) {
    if (!enabled || namespace.isEmpty() || selector.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> labels = parse(selector.get());
    return labels.isEmpty()
        ? Optional.empty()
        : Optional.of(new GatewayPods(namespace.get(), labels));
  }

  /** {@code a=1,b=2} as a map; a term that is not {@code key=value} is a configuration error. */
  static Map<String, String> parse(String selector) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String term : selector.split(",")) {
      String t = term.trim();
      if (t.isEmpty()) {
        continue;
      }
      int eq = t.indexOf('=');
      if (eq <= 0 || t.indexOf('=', eq + 1) >= 0 || t.contains("!")) {
        throw new IllegalArgumentException(
            "ebb.local.network-policy.gateway-selector must be key=value[,key=value...], not "
                + selector);
      }
      labels.put(t.substring(0, eq).trim(), t.substring(eq + 1).trim());
    }
    return labels;
  }
}
