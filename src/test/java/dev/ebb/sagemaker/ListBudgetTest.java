package dev.ebb.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.simulator.ManualClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ListBudgetTest {
  @Test
  void aBurstIsServedUpToTheBucketThenOneCallPerRefill() {
    ManualClock clock = new ManualClock();
    ListBudget budget = new ListBudget(clock, 5, 20);

    int served = 0;
    while (budget.tryTake()) {
      served++;
    }
    assertThat(served).isEqualTo(20);

    clock.advance(Duration.ofMillis(200)); // one call's worth at 5 per second
    assertThat(budget.tryTake()).isTrue();
    assertThat(budget.tryTake()).isFalse();

    clock.advance(Duration.ofHours(1)); // refills up to the burst, not beyond
    served = 0;
    while (budget.tryTake()) {
      served++;
    }
    assertThat(served).isEqualTo(20);
  }

  @Test
  void aListThatFindsTheBudgetSpentIsNotMadeAndEndsThePassAsThrottled() {
    ListBudget budget = new ListBudget(new ManualClock(), 5, 1);
    AtomicInteger made = new AtomicInteger();
    Calls.list(budget, "ListModels", made::incrementAndGet);

    assertThatThrownBy(() -> Calls.list(budget, "ListModels", made::incrementAndGet))
        .isInstanceOfSatisfying(
            AwsCallException.class,
            e -> {
              assertThat(e.failure().kind()).isEqualTo(AwsErrorKind.THROTTLED);
              assertThat(e.failure().kind().retryable()).isTrue();
              assertThat(e.failure().errorCode()).isEqualTo(ListBudget.ERROR_CODE);
              assertThat(e.failure().message()).contains("ListModels").contains("5");
            });
    assertThat(made).hasValue(1);
  }
}
