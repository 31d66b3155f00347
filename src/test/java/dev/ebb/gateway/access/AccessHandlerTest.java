package dev.ebb.gateway.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.gateway.Endpoints;
import dev.ebb.gateway.FakeExchange;
import dev.ebb.gateway.resolve.Resolution;
import dev.ebb.gateway.resolve.Resolved;
import dev.ebb.sagemaker.RuntimeOperation;
import io.vertx.core.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The access stage alone, with a verdict double: who goes on, and how refusals are answered. */
class AccessHandlerTest {
  private static final InferenceEndpoint OPEN =
      Endpoints.endpoint("open", "backend: local, access: {public: true}");
  private static final InferenceEndpoint DEFAULT = Endpoints.endpoint("closed", "backend: local");
  private static final InferenceEndpoint GUARDED =
      Endpoints.endpoint("guarded", "backend: local, access: {apiKeys: {secretRef: {name: keys}}}");

  private final AtomicInteger checks = new AtomicInteger();

  private AccessHandler answering(Authenticator.Verdict verdict) {
    return new AccessHandler(
        (endpoint, name, headers) -> {
          checks.incrementAndGet();
          return Future.succeededFuture(verdict);
        });
  }

  private static FakeExchange requestFor(InferenceEndpoint endpoint) {
    FakeExchange exchange = FakeExchange.forEndpoint(endpoint.getMetadata().getName());
    new Resolved(
            RuntimeOperation.INVOKE_ENDPOINT,
            endpoint.getMetadata().getName(),
            endpoint,
            new Resolution.Invalid("not dispatched in this test"))
        .attachTo(exchange.context);
    return exchange;
  }

  @Test
  void aPublicEndpointIsOpenAndNothingIsChecked() {
    FakeExchange exchange = requestFor(OPEN);

    answering(new Authenticator.Refused(401, "x", "y")).handle(exchange.context);

    assertThat(exchange.nexts).isEqualTo(1);
    assertThat(checks).hasValue(0);
  }

  @Test
  void anEndpointWithoutAccessRulesIsClosedAndChecked() {
    FakeExchange exchange = requestFor(DEFAULT);

    answering(new Authenticator.Refused(401, "MissingAuthenticationTokenException", "send one"))
        .handle(exchange.context);

    assertThat(checks).hasValue(1);
    assertThat(exchange.nexts).isZero();
    assertThat(exchange.status).isEqualTo(401);
  }

  @Test
  void anAllowedCallerGoesOn() {
    FakeExchange exchange = requestFor(GUARDED);

    answering(new Authenticator.Allowed("api-key")).handle(exchange.context);

    assertThat(exchange.nexts).isEqualTo(1);
    assertThat(exchange.ended).isFalse();
  }

  @Test
  void aMissingCredentialIsAnsweredWithHowToSendOne() {
    FakeExchange exchange = requestFor(GUARDED);

    answering(new Authenticator.Refused(401, "MissingAuthenticationTokenException", "send one"))
        .handle(exchange.context);

    assertThat(exchange.nexts).isZero();
    assertThat(exchange.status).isEqualTo(401);
    assertThat(exchange.responseHeaders.get("WWW-Authenticate")).isEqualTo("Bearer realm=\"ebb\"");
    assertThat(exchange.responseHeaders.get("x-amzn-ErrorType"))
        .isEqualTo("MissingAuthenticationTokenException");
    assertThat(exchange.json().getString("message")).isEqualTo("send one");
  }

  @Test
  void aForbiddenCallerIsAnswered403WithoutAChallenge() {
    FakeExchange exchange = requestFor(GUARDED);

    answering(new Authenticator.Refused(403, "AccessDeniedException", "not on the list"))
        .handle(exchange.context);

    assertThat(exchange.nexts).isZero();
    assertThat(exchange.status).isEqualTo(403);
    assertThat(exchange.responseHeaders.contains("WWW-Authenticate")).isFalse();
  }
}
