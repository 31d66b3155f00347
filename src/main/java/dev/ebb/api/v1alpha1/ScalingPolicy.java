package dev.ebb.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** The whole scaling recipe for one InferenceComponent or endpoint variant. */
@Group(InferenceEndpoint.GROUP)
@Version(InferenceEndpoint.VERSION)
@ShortNames("sp")
@AdditionalPrinterColumn(
    name = "Target",
    jsonPath = ".spec.targetRef.name",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Min",
    jsonPath = ".spec.minCapacity",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Max",
    jsonPath = ".spec.maxCapacity",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Current",
    jsonPath = ".status.currentCapacity",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Desired",
    jsonPath = ".status.desiredCapacity",
    type = AdditionalPrinterColumn.Type.INTEGER)
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
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@JsonClassDescription(
    "A ScalingPolicy is the whole scaling recipe for one InferenceComponent (copies) or endpoint variant (instances): target tracking, scale from zero, step scaling and schedules. Compiled to Application Auto Scaling and CloudWatch on SageMaker; evaluated by Ebb's engine on backend local.")
public class ScalingPolicy extends CustomResource<ScalingPolicySpec, ScalingPolicyStatus>
    implements Namespaced {}
