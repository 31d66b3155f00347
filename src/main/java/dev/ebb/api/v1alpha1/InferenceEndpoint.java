package dev.ebb.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Where models are hosted: a SageMaker endpoint, or locally the unit the gateway routes to. */
@Group(InferenceEndpoint.GROUP)
@Version(InferenceEndpoint.VERSION)
@ShortNames("ie")
@AdditionalPrinterColumn(
    name = "Backend",
    jsonPath = ".spec.backend",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "State",
    jsonPath = ".status.state",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Access",
    jsonPath = ".status.access",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Endpoint",
    jsonPath = ".status.endpointName",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@JsonClassDescription(
    "An InferenceEndpoint is where models are hosted: a SageMaker endpoint and its endpoint config (backend sagemaker), or the serving unit on this cluster that the Ebb gateway routes to (backend local). Models are placed on it by InferenceComponents or carried by its variants.")
public class InferenceEndpoint
    extends CustomResource<InferenceEndpointSpec, InferenceEndpointStatus> implements Namespaced {
  public static final String GROUP = "ebb.dev";
  public static final String VERSION = "v1alpha1";
}
