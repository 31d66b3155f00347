package dev.ebb.reconciler.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.reconciler.transform.TransformPlan.CreateJob;
import dev.ebb.reconciler.transform.TransformPlan.CreateModel;
import dev.ebb.reconciler.transform.TransformPlan.DeleteModel;
import dev.ebb.reconciler.transform.TransformPlan.Ended;
import dev.ebb.reconciler.transform.TransformPlan.Observed;
import dev.ebb.reconciler.transform.TransformPlan.ObservedJob;
import dev.ebb.reconciler.transform.TransformPlan.Released;
import dev.ebb.reconciler.transform.TransformPlan.Step;
import dev.ebb.reconciler.transform.TransformPlan.StopJob;
import dev.ebb.reconciler.transform.TransformPlan.Wait;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TransformPlanTest {
  private static Observed none(boolean model) {
    return new Observed(Optional.empty(), model);
  }

  private static Observed job(String status, boolean model) {
    return new Observed(
        Optional.of(new ObservedJob(status, status.equals("Failed") ? "ClientError: 400" : null)),
        model);
  }

  static Stream<Arguments> rows() {
    return Stream.of(
        Arguments.of("nothing yet: the model first", none(false), new CreateModel()),
        Arguments.of("a crash after CreateModel: the job", none(true), new CreateJob()),
        Arguments.of("running", job("InProgress", true), new Wait("InProgress")),
        Arguments.of("stopping", job("Stopping", true), new Wait("Stopping")),
        Arguments.of("completed: its model goes", job("Completed", true), new DeleteModel()),
        Arguments.of("failed: its model goes", job("Failed", true), new DeleteModel()),
        Arguments.of("stopped: its model goes", job("Stopped", true), new DeleteModel()),
        Arguments.of(
            "completed, model gone: ended", job("Completed", false), new Ended("Completed", null)),
        Arguments.of(
            "failed, model gone: ended with SageMaker's reason",
            job("Failed", false),
            new Ended("Failed", "ClientError: 400")),
        Arguments.of(
            "a job that ended never runs again, even with its model gone",
            job("Stopped", false),
            new Ended("Stopped", null)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void next(String name, Observed observed, Step expected) {
    assertThat(TransformPlan.next(observed)).isEqualTo(expected);
  }

  static Stream<Arguments> teardownRows() {
    return Stream.of(
        Arguments.of("running: stopped", job("InProgress", true), false, new StopJob()),
        Arguments.of("stopping: wait", job("Stopping", true), false, new Wait("Stopping")),
        Arguments.of("stopped: its model goes", job("Stopped", true), false, new DeleteModel()),
        Arguments.of("completed: its model goes", job("Completed", true), false, new DeleteModel()),
        Arguments.of("all gone", job("Completed", false), false, new Released()),
        Arguments.of(
            "a crash between CreateModel and CreateJob: the model goes",
            none(true),
            false,
            new DeleteModel()),
        Arguments.of("never started", none(false), false, new Released()),
        Arguments.of("retain: the job runs on", job("InProgress", true), true, new Released()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("teardownRows")
  void teardown(String name, Observed observed, boolean retain, Step expected) {
    assertThat(TransformPlan.nextTeardown(observed, retain)).isEqualTo(expected);
  }
}
