package dev.ebb.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ListBudgetTest {
  /** A clock the test moves. */
  private static final class Hands extends Clock {
    Instant now = Instant.parse("2026-12-07T12:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @Test
  void aBurstIsServedUpToTheBucketThenOneCallPerRefill() {
    Hands clock = new Hands();
    ListBudget budget = new ListBudget(clock, 5, 20);

    int served = 0;
    while (budget.tryTake()) {
      served++;
    }
    assertThat(served).isEqualTo(20);

    clock.now = clock.now.plus(Duration.ofMillis(200)); // one call's worth at 5 per second
    assertThat(budget.tryTake()).isTrue();
    assertThat(budget.tryTake()).isFalse();

    clock.now = clock.now.plus(Duration.ofHours(1)); // refills up to the burst, not beyond
    served = 0;
    while (budget.tryTake()) {
      served++;
    }
    assertThat(served).isEqualTo(20);
  }

  @Test
  void aListThatFindsTheBudgetSpentIsNotMadeAndEndsThePassAsThrottled() {
    ListBudget budget = new ListBudget(new Hands(), 5, 1);
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
