package dev.ebb.gateway.dispatch;

import dev.ebb.gateway.resolve.Resolution;
import dev.ebb.sagemaker.AwsClients;
import dev.ebb.sagemaker.SageMakerComponents;
import dev.ebb.sagemaker.ScalableTargets;
import dev.ebb.sagemaker.WakeAlarms;
import java.time.Clock;
import java.util.Optional;

/**
 * The SageMaker control-plane calls the pass-through makes about a component, each blocking (run
 * them off the event loop): AWS's, with the operator's credentials, in the operator; a hand-written
 * double in tests.
 */
interface SageMakerControl {
  /** DescribeInferenceComponent: its current copies; empty if it does not exist. */
  Optional<Integer> copies(Resolution.SageMaker target);

  /**
   * SetAlarmState: rings the component's scale-from-zero {@code alarm}, so that Application Auto
   * Scaling takes the step now ({@link WakeAlarms}).
   */
  void wake(Resolution.SageMaker target, String alarm);

  /** DescribeScalableTargets: the max capacity in force; empty if it is not registered. */
  Optional<Integer> maxCapacity(Resolution.SageMaker target);

  /** The calls to AWS, in each target's region. */
  static SageMakerControl aws(AwsClients clients, Clock clock) {
    return new SageMakerControl() {
      @Override
      public Optional<Integer> copies(Resolution.SageMaker target) {
        return components(target)
            .describe(target.component().get())
            .map(SageMakerComponents.ComponentDescription::currentCopies);
      }

      @Override
      public void wake(Resolution.SageMaker target, String alarm) {
        new WakeAlarms(() -> clients.cloudWatch(target.region()), clock)
            .ring(
                alarm,
                "Ebb's gateway holds requests for inference component "
                    + target.component().get()
                    + ", which has no copy");
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
