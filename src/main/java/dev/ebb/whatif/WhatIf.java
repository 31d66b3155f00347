package dev.ebb.whatif;

import dev.ebb.api.v1alpha1.Backend;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * {@code ebb what-if} as a library call: each policy replayed against one trace, on the plane its
 * component runs on, summed up for comparison.
 */
public final class WhatIf {
  private WhatIf() {}

  /** A policy to compare, under the name the report gives it. */
  public record Candidate(String label, ScalingPolicy policy) {}

  /**
   * What capacity costs. Backend local: a price per copy-hour, else GPUs × a GPU-hour price.
   * Backend sagemaker: the instance-hour, given, else the instance type's list price ({@link
   * SageMakerInstanceTypes}), else as on local.
   */
  public record Pricing(
      OptionalDouble perCopyHour,
      double perGpuHour,
      String gpuHourSource,
      OptionalDouble perInstanceHour,
      java.util.OptionalInt copiesPerInstance) {
    public Pricing(OptionalDouble perCopyHour, double perGpuHour, String gpuHourSource) {
      this(
          perCopyHour,
          perGpuHour,
          gpuHourSource,
          OptionalDouble.empty(),
          java.util.OptionalInt.empty());
    }

    public static Pricing defaults() {
      return new Pricing(
          OptionalDouble.empty(), Prices.DEFAULT_GPU_HOUR, Prices.DEFAULT_GPU_HOUR_SOURCE);
    }
  }

  /**
   * Replays {@code candidates} against {@code trace}.
   *
   * @param coldStart the cold start to assume; empty: the one the component's status last measured
   * @param tick how often the operator evaluates a policy ({@code ebb.local.autoscaling-tick})
   * @throws IllegalArgumentException when the inputs do not make a simulation: a policy whose
   *     target is not among the manifests, a component on backend sagemaker, no cold start
   */
  public static Comparison compare(
      List<Candidate> candidates,
      Manifests manifests,
      Trace trace,
      Optional<ColdStartModel> coldStart,
      Pricing pricing,
      Duration tick) {
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("no ScalingPolicy to replay (--policy)");
    }
    List<PlaneRun> runs = new ArrayList<>();
    List<Summary> summaries = new ArrayList<>();
    ColdStartModel assumed = null;
    String priceSource = "none";
    for (Candidate candidate : candidates) {
      ScalingPolicy policy = candidate.policy();
      InferenceComponent component = manifests.targetOf(policy);
      var endpoint = manifests.endpointOf(component);
      if (endpoint.isPresent() && endpoint.get().getSpec().backend() == Backend.SAGEMAKER) {
        var shape =
            SageMakerScenario.InstanceShape.of(
                component, endpoint.get(), pricing.copiesPerInstance());
        ColdStartModel model = sageMakerColdStart(component, shape.instanceType(), coldStart);
        assumed = assumed == null ? model : assumed;
        OptionalDouble copyHour =
            Prices.copyHour(component, pricing.perCopyHour(), pricing.perGpuHour());
        var listed = SageMakerInstanceTypes.of(shape.instanceType());
        OptionalDouble instanceHour =
            pricing.perInstanceHour().isPresent()
                ? pricing.perInstanceHour()
                : listed.map(t -> OptionalDouble.of(t.usdPerHour())).orElse(OptionalDouble.empty());
        priceSource =
            instanceHour.isPresent()
                ? String.format(
                        java.util.Locale.ROOT,
                        "USD %.4f per %s instance-hour (%s)",
                        instanceHour.getAsDouble(),
                        shape.instanceType(),
                        pricing.perInstanceHour().isPresent()
                            ? "given"
                            : SageMakerInstanceTypes.PRICE_SOURCE)
                    + "; instances: "
                    + shape.basis()
                : priceSource(component, pricing, copyHour)
                    + " (no list price for "
                    + shape.instanceType()
                    + ": give --instance-hour-price)";
        // The recipe alone, then the same with Ebb's gateway in front: the trade-off in one table.
        for (boolean gateway : List.of(false, true)) {
          PlaneRun run =
              SageMakerPlane.run(
                  candidate.label() + (gateway ? " (Ebb's gateway)" : " (recipe alone)"),
                  SageMakerScenario.of(policy, component, endpoint.get(), model, gateway, shape),
                  trace);
          runs.add(run);
          summaries.add(Summary.of(run, copyHour, instanceHour));
        }
        continue;
      }
      LocalScenario scenario = scenario(policy, manifests, coldStart, tick);
      assumed = assumed == null ? scenario.coldStart() : assumed;
      OptionalDouble copyHour =
          Prices.copyHour(component, pricing.perCopyHour(), pricing.perGpuHour());
      priceSource = priceSource(component, pricing, copyHour);
      PlaneRun run = LocalPlane.run(candidate.label(), scenario, trace);
      runs.add(run);
      summaries.add(Summary.of(run, copyHour));
    }
    return new Comparison(trace, assumed, priceSource, runs, summaries);
  }

  /**
   * Each policy's prediction for the requests of {@code measured}, beside what happened to them:
   * how far what-if is from reality on this traffic ({@code what-if --check}).
   */
  public static List<RealityCheck> check(
      List<Candidate> candidates,
      Manifests manifests,
      MeasuredRun measured,
      Optional<ColdStartModel> coldStart,
      Duration tick,
      Duration unsentDuration) {
    List<RealityCheck> checks = new ArrayList<>();
    for (Candidate candidate : candidates) {
      LocalScenario scenario = scenario(candidate.policy(), manifests, coldStart, tick);
      checks.add(RealityCheck.replay(candidate.label(), scenario, measured, unsentDuration));
    }
    return checks;
  }

  private static LocalScenario scenario(
      ScalingPolicy policy,
      Manifests manifests,
      Optional<ColdStartModel> coldStart,
      Duration tick) {
    InferenceComponent component = manifests.targetOf(policy);
    var endpoint = manifests.endpointOf(component);
    if (endpoint.isPresent() && endpoint.get().getSpec().backend() == Backend.SAGEMAKER) {
      throw new IllegalArgumentException(
          "InferenceComponent "
              + component.getMetadata().getName()
              + " runs on InferenceEndpoint "
              + endpoint.get().getMetadata().getName()
              + ", backend sagemaker: --check replays backend local's logs only (the operator"
              + " logs no SageMaker scaling activity); what-if itself simulates both");
    }
    return LocalScenario.of(policy, component, endpoint, coldStart(component, coldStart))
        .withTick(tick);
  }

  /**
   * On SageMaker: the cold start given, else AWS's measured one for the instance type ({@link
   * SageMakerInstanceTypes}).
   */
  private static ColdStartModel sageMakerColdStart(
      InferenceComponent component, String instanceType, Optional<ColdStartModel> coldStart) {
    if (coldStart.isPresent()) {
      return coldStart.get();
    }
    var known = SageMakerInstanceTypes.of(instanceType).filter(t -> t.coldStart().isPresent());
    if (known.isEmpty()) {
      throw new IllegalArgumentException(
          "no cold start to assume for InferenceComponent "
              + component.getMetadata().getName()
              + " on "
              + instanceType
              + ": give --cold-start (instance provisioning, image pull and model load, e.g. 6m)."
              + " AWS has published measured ones for "
              + SageMakerInstanceTypes.measuredTypes()
              + " only");
    }
    return new ColdStartModel(
        known.get().coldStart().get(),
        java.util.Map.of(),
        String.format(
            SageMakerInstanceTypes.COLD_START_SOURCE, instanceType, known.get().coldStartBasis()));
  }

  private static ColdStartModel coldStart(
      InferenceComponent component, Optional<ColdStartModel> coldStart) {
    return coldStart
        .or(() -> ColdStartModel.measured(component))
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no cold start to assume for InferenceComponent "
                        + component.getMetadata().getName()
                        + ": give --cold-start (e.g. 120s), or a manifest of the component"
                        + " with its status (kubectl get inferencecomponent NAME -o yaml),"
                        + " whose status.lastColdStart Ebb measured"));
  }

  private static String priceSource(
      InferenceComponent component, Pricing pricing, OptionalDouble copyHour) {
    if (copyHour.isEmpty()) {
      return "none (a copy without GPUs has no default price: give --copy-hour-price)";
    }
    if (pricing.perCopyHour().isPresent()) {
      return String.format(
          java.util.Locale.ROOT, "USD %.4f per copy-hour (given)", copyHour.getAsDouble());
    }
    return String.format(
        java.util.Locale.ROOT,
        "USD %.4f per copy-hour: %d GPU(s) per copy (spec.resources.acceleratorCount) × %s",
        copyHour.getAsDouble(),
        component.getSpec().resources().acceleratorCount(),
        pricing.gpuHourSource());
  }
}
