package dev.ebb.simulator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServiceModelTest {
  @ParameterizedTest
  @CsvSource({
    "sagemaker, 2017-07-24, CreateEndpoint",
    "sagemaker-runtime, 2017-05-13, InvokeEndpoint",
    "application-autoscaling, 2016-02-06, PutScalingPolicy",
    "cloudwatch, 2010-08-01, PutMetricAlarm",
    "s3, 2006-03-01, PutObject",
    "sns, 2010-03-31, Publish"
  })
  void loadsEachOfTheSixModels(String service, String apiVersion, String operation) {
    ServiceModel model = Botocore.model(service);

    assertThat(model.apiVersion()).isEqualTo(apiVersion);
    assertThat(model.hasOperation(operation)).isTrue();
    assertThat(model.shape(model.inputShape(operation)).path("type").asText())
        .isEqualTo("structure");
  }

  @Test
  void anOverrideThatIsNoBotocoreDataDirectoryFailsWithTheVariableNamed(@TempDir Path empty) {
    assertThatThrownBy(() -> Botocore.locate(empty.toString()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(Botocore.ENV);
  }

  @Test
  void anOverrideIsUsedAsGiven() {
    Path data = Botocore.dataDir();

    assertThat(Botocore.locate(data.toString())).isEqualTo(data);
  }
}
