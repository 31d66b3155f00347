package dev.ebb.gateway.dispatch;

import dev.ebb.gateway.resolve.Resolution;
import dev.ebb.sagemaker.AwsClients;
import dev.ebb.sagemaker.SageMakerComponents;
import dev.ebb.sagemaker.ScalableTargets;
import java.util.Optional;

/**
 * The SageMaker control-plane calls the pass-through makes about a component, each blocking (run
 * them off the event loop): AWS's, with the operator's credentials, in the operator; a hand-written
 * double in tests.
 */
interface SageMakerControl {
  /** DescribeInferenceComponent: its current copies; empty if it does not exist. */
  Optional<Integer> copies(Resolution.SageMaker target);

  /** UpdateInferenceComponentRuntimeConfig: asks for {@code copies} copies. */
  void setCopies(Resolution.SageMaker target, int copies);

  /** DescribeScalableTargets: the max capacity in force; empty if it is not registered. */
  Optional<Integer> maxCapacity(Resolution.SageMaker target);

  /** The calls to AWS, in each target's region. */
  static SageMakerControl aws(AwsClients clients) {
    return new SageMakerControl() {
      @Override
      public Optional<Integer> copies(Resolution.SageMaker target) {
        return components(target)
            .describe(target.component().get())
            .map(SageMakerComponents.ComponentDescription::currentCopies);
      }

      @Override
      public void setCopies(Resolution.SageMaker target, int copies) {
        components(target).setCopies(target.component().get(), copies);
      }

      @Override
      public Optional<Integer> maxCapacity(Resolution.SageMaker target) {
        return new ScalableTargets(() -> clients.applicationAutoScaling(target.region()))
            .componentMaxCapacity(target.component().get());
      }

      private SageMakerComponents components(Resolution.SageMaker target) {
        return new SageMakerComponents(() -> clients.sageMaker(target.region()));
      }
    };
  }
}
