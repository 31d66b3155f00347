package dev.ebb.api.v1alpha1;

import java.util.List;

/** What every Ebb status shares: the generation it reflects and its conditions. */
public interface ConditionedStatus {
  Long observedGeneration();

  List<Condition> conditions();

  /** Ebb's retries of AWS after failed passes (backend sagemaker), or null. */
  default RetryStatus retry() {
    return null;
  }

  /** The condition of the given type, or null. */
  default Condition condition(String type) {
    return conditions() == null
        ? null
        : conditions().stream().filter(c -> c.type().equals(type)).findFirst().orElse(null);
  }
}
