package dev.ebb.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One batch transform: a model scores a whole S3 input once, then nothing is left running. */
@Group(InferenceEndpoint.GROUP)
@Version(InferenceEndpoint.VERSION)
@ShortNames("bt")
@AdditionalPrinterColumn(
    name = "Backend",
    jsonPath = ".spec.backend",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Objects",
    jsonPath = ".status.progress.objects",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Job",
    jsonPath = ".status.transformJobName",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@JsonClassDescription(
    "A BatchTransform scores every object under an S3 input with a model once and writes the"
        + " results to S3: a SageMaker batch transform job, or on backend local a Kubernetes Job"
        + " running the same container under SageMaker's batch contract. It ends when the input is"
        + " done; nothing is left running.")
public class BatchTransform extends CustomResource<BatchTransformSpec, BatchTransformStatus>
    implements Namespaced {}
