package dev.ebb.gateway.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.gateway.Endpoints;
import dev.ebb.gateway.FakeExchange;
import dev.ebb.local.ComponentKey;
import dev.ebb.sagemaker.RuntimeOperation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The resolve stage alone, with a lookup double: what it answers, and what it passes on. */
class ResolveHandlerTest {
  private static final InferenceEndpoint LLAMA = Endpoints.endpoint("llama", "backend: local");
  private static final Resolution.Local TO_COPIES =
      new Resolution.Local(new ComponentKey("ns", "llama-8b"), "A", 10, Duration.ofSeconds(60));

  private final List<List<String>> asked = new ArrayList<>();

  private ResolveHandler handler(Directory.Lookup answer) {
    return new ResolveHandler(
        (endpoint, component, variant) -> {
          asked.add(java.util.Arrays.asList(endpoint, component, variant));
          return answer;
        },
        RuntimeOperation.INVOKE_ENDPOINT);
  }

  @Test
  void anUnknownEndpointIsAnsweredAsSageMakerDoes() {
    FakeExchange exchange = FakeExchange.forEndpoint("nope");

    handler(new Directory.Lookup(Optional.empty(), null)).handle(exchange.context);

    assertThat(exchange.nexts).isZero();
    assertThat(exchange.status).isEqualTo(400);
    assertThat(exchange.responseHeaders.get("x-amzn-ErrorType")).isEqualTo("ValidationError");
    assertThat(exchange.json().getString("message")).isEqualTo("Endpoint nope not found.");
  }

  @Test
  void aKnownEndpointGoesOnWithWhatItResolvedTo() {
    FakeExchange exchange =
        FakeExchange.forEndpoint("llama")
            .header("X-Amzn-SageMaker-Inference-Component", "llama-8b")
            .header("X-Amzn-SageMaker-Target-Variant", "A");

    handler(new Directory.Lookup(Optional.of(LLAMA), TO_COPIES)).handle(exchange.context);

    assertThat(asked).containsExactly(List.of("llama", "llama-8b", "A"));
    assertThat(exchange.nexts).isEqualTo(1);
    assertThat(exchange.ended).isFalse();
    assertThat(Resolved.of(exchange.context))
        .isEqualTo(new Resolved(RuntimeOperation.INVOKE_ENDPOINT, "llama", LLAMA, TO_COPIES));
  }

  @Test
  void aComponentThatDoesNotResolveTravelsOnToBeAnsweredAfterAccess() {
    FakeExchange exchange = FakeExchange.forEndpoint("llama");
    var invalid = new Resolution.Invalid("Inference Component x not found on endpoint llama.");

    handler(new Directory.Lookup(Optional.of(LLAMA), invalid)).handle(exchange.context);

    assertThat(exchange.nexts).isEqualTo(1);
    assertThat(Resolved.of(exchange.context).target()).isEqualTo(invalid);
  }
}
