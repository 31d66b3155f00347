package dev.ebb.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InvokerTest {

  /** Answers: a status, or "io" for no answer; the last one repeats. */
  @ParameterizedTest(name = "{0} with {1} retries")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          200                | 3 | 1 | ok
          500,200            | 3 | 2 | ok
          io,io,200          | 3 | 3 | ok
          429,200            | 3 | 2 | ok
          503                | 3 | 4 | HTTP 503 from POST /invocations: answer (after 3 retries)
          io                 | 1 | 2 | no answer from POST /invocations: reset (after 1 retries)
          400                | 3 | 1 | HTTP 400 from POST /invocations: answer
          413                | 3 | 1 | HTTP 413
          500                | 0 | 1 | (after 0 retries)
          """)
  void retriesWhatMayPassOnASecondTry(String answers, int retries, int tries, String outcome)
      throws Exception {
    List<String> script = new ArrayList<>(List.of(answers.split(",")));
    List<Duration> waits = new ArrayList<>();
    int[] calls = {0};
    ModelClient model =
        new ModelClient() {
          @Override
          public int ping() {
            return 200;
          }

          @Override
          public Optional<String> executionParameters() {
            return Optional.empty();
          }

          @Override
          public Response invoke(byte[] body, String contentType, String accept)
              throws IOException {
            calls[0]++;
            String next = script.size() > 1 ? script.remove(0) : script.get(0);
            if (next.equals("io")) {
              throw new IOException("reset");
            }
            int status = Integer.parseInt(next);
            return new Response(
                status, (status == 200 ? "ok" : "answer").getBytes(StandardCharsets.UTF_8));
          }
        };
    Invoker invoker = new Invoker(model, waits::add, retries, "text/csv", "text/csv");
    if (outcome.equals("ok")) {
      assertThat(new String(invoker.invoke(new byte[0]), StandardCharsets.UTF_8)).isEqualTo("ok");
    } else {
      assertThatThrownBy(() -> invoker.invoke(new byte[0]))
          .isInstanceOf(Invoker.Failed.class)
          .hasMessageContaining(outcome);
    }
    assertThat(calls[0]).isEqualTo(tries);
    assertThat(waits).hasSize(tries - 1);
  }
}
