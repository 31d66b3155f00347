package dev.ebb.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A deployment's auto-rollback alarms ({@code DeploymentConfig.AutoRollbackConfiguration.Alarms}):
 * "If any alarms are tripped during a deployment, SageMaker rolls back the deployment"
 * (AutoRollbackConfig in the SageMaker API reference). The simulator looks when the deployment's
 * baking ends; the FailureReason's wording is assumed (AWS documents none).
 */
final class RollbackAlarms {
  private RollbackAlarms() {}

  /** Why the deployment rolls back, if one of its alarms is in ALARM now. */
  static Optional<String> firing(RegionStore region, ObjectNode deployment) {
    if (deployment == null) {
      return Optional.empty();
    }
    List<String> firing = new ArrayList<>();
    for (JsonNode alarm : deployment.path("AutoRollbackConfiguration").path("Alarms")) {
      String name = alarm.path("AlarmName").asText();
      ObjectNode stored = region.alarms.get(name);
      if (stored != null && "ALARM".equals(stored.path("StateValue").asText())) {
        firing.add(name);
      }
    }
    return firing.isEmpty()
        ? Optional.empty()
        : Optional.of(
            "Deployment rolled back: auto-rollback alarm(s) "
                + String.join(", ", firing)
                + " went into ALARM during the deployment.");
  }
}
