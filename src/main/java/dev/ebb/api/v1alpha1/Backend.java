package dev.ebb.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where an endpoint's models run. */
public enum Backend {
  /** Amazon SageMaker real-time, asynchronous or serverless hosting. */
  @JsonProperty("sagemaker")
  SAGEMAKER,
  /** Model-server pods on the cluster's own nodes, routed to by the Ebb gateway. */
  @JsonProperty("local")
  LOCAL
}
