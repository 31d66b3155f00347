package dev.ebb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.sagemaker.SageMakerNames;
import dev.ebb.testing.FakeNodeAgent;
import dev.ebb.testing.GatewayClients;
import dev.ebb.testing.LocalManifests;
import dev.ebb.testing.ReadyPods;
import dev.ebb.testing.RealApiServerResource;
import dev.ebb.testing.ServiceAccountTokens;
import dev.ebb.testing.SimulatorResource;
import dev.ebb.testing.TestNamespace;
import dev.ebb.testing.TestNamespaceExtension;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.SageMakerRuntimeException;

/**
 * {@code spec.access} end to end: API keys from a Secret and audience-bound ServiceAccount tokens
 * checked by the real API server's TokenReview; refused requests never reach the model (the copy
 * counts what arrives).
 */
@QuarkusTest
@QuarkusTestResource(RealApiServerResource.class)
@QuarkusTestResource(SimulatorResource.class)
class GatewayAccessIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @RegisterExtension
  static final TestNamespaceExtension ns = new TestNamespaceExtension("access", TIMEOUT);

  private static final HttpClient http = HttpClient.newHttpClient();

  @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
  int httpPort;

  private FakeNodeAgent agent;

  @BeforeEach
  void setUp() {
    agent =
        new FakeNodeAgent(
            ns.client(), ns.name(), Duration.ofMillis(100), Duration.ZERO, Duration.ofMillis(300));
    for (String name : new String[] {"caller", "stranger"}) {
      ns.resources(ServiceAccount.class)
          .resource(
              new ServiceAccountBuilder().withNewMetadata().withName(name).endMetadata().build())
          .create();
    }
    keys(Map.of("first", "key-one\n", "second", "key-two"));
  }

  @AfterEach
  void tearDown() {
    agent.close();
  }

  @Test
  void onlyAcceptedKeysAndTokensOfAllowedServiceAccountsReachTheModel() throws Exception {
    ns.apply(
        LocalManifests.cpuComponent(
            1,
            "",
            "  access: {apiKeys: {secretRef: {name: keys}}, serviceAccountTokens: {audience:"
                + " ebb-test, serviceAccounts: [{namespace: "
                + ns.name()
                + ", name: caller}]}}\n"));
    String copy = awaitReadyCopy();

    // Refused: no credential, a wrong key, the caller's token for another audience (the API
    // server's own), and a token of a ServiceAccount not on the list.
    try (SageMakerRuntimeClient anonymous = GatewayClients.runtime(httpPort)) {
      assertRefused(() -> invoke(anonymous), 401, "MissingAuthenticationTokenException");
    }
    try (SageMakerRuntimeClient wrongKey = GatewayClients.runtime(httpPort, "key-three")) {
      assertRefused(() -> invoke(wrongKey), 401, "UnrecognizedClientException");
    }
    HttpResponse<String> apiServersAudience = bearer(token("caller", null));
    assertThat(apiServersAudience.statusCode()).isEqualTo(401);
    assertThat(apiServersAudience.headers().firstValue("x-amzn-ErrorType"))
        .hasValue("UnrecognizedClientException");
    HttpResponse<String> stranger = bearer(token("stranger", "ebb-test"));
    assertThat(stranger.statusCode()).isEqualTo(403);
    assertThat(stranger.body())
        .contains("ServiceAccount " + ns.name() + "/stranger is not allowed");
    assertThat(invocationsAt(copy)).as("refused requests never reach the model").isZero();

    // Accepted: a key through the SDK (trailing newline of the Secret's value ignored), a key as
    // a bearer credential, and the caller's token for the endpoint's audience (twice: the second
    // is answered from the TokenReview cache).
    try (SageMakerRuntimeClient withKey = GatewayClients.runtime(httpPort, "key-one")) {
      assertThat(invoke(withKey)).isEqualTo("hello");
    }
    assertThat(bearer("key-two").statusCode()).isEqualTo(200);
    String token = token("caller", "ebb-test");
    assertThat(bearer(token).statusCode()).isEqualTo(200);
    assertThat(bearer(token).body()).isEqualTo("hello");
    assertThat(invocationsAt(copy)).isEqualTo(4);
  }

  @Test
  void aKeyRemovedFromTheSecretStopsWorkingAndANewOneStartsWithinSeconds() throws Exception {
    ns.apply(
        LocalManifests.cpuComponent(1, "", "  access: {apiKeys: {secretRef: {name: keys}}}\n"));
    awaitReadyCopy();
    assertThat(bearer("key-one").statusCode()).isEqualTo(200);

    keys(Map.of("second", "key-two", "third", "key-three"));

    await().atMost(TIMEOUT).until(() -> bearer("key-one").statusCode() == 401);
    assertThat(bearer("key-three").statusCode()).isEqualTo(200);
    assertThat(bearer("key-two").statusCode()).isEqualTo(200);
    // Without serviceAccountTokens, a JWT is just a wrong key: no TokenReview is asked.
    HttpResponse<String> token = bearer(token("caller", "ebb-test"));
    assertThat(token.statusCode()).isEqualTo(401);
    assertThat(token.body()).contains("not an API key of endpoint");
  }

  /**
   * Closed by default: without spec.access only ServiceAccount tokens of the endpoint's own
   * namespace, for the gateway's audience, get through; the refusal of a request without a
   * credential says what is accepted and how to open the endpoint.
   */
  @Test
  void anEndpointWithoutAccessAcceptsOnlyTokensOfItsOwnNamespace() throws Exception {
    ns.apply(LocalManifests.cpuComponent(1, "", ""));
    String copy = awaitReadyCopy();
    await()
        .atMost(TIMEOUT)
        .until(
            () -> ns.get(InferenceEndpoint.class, "cpu").getStatus(),
            st -> st != null && "ServiceAccounts".equals(st.access()));

    try (SageMakerRuntimeClient anonymous = GatewayClients.runtime(httpPort)) {
      assertThatThrownBy(() -> invoke(anonymous))
          .isInstanceOfSatisfying(
              SageMakerRuntimeException.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(401);
                assertThat(e.awsErrorDetails().errorCode())
                    .isEqualTo("MissingAuthenticationTokenException");
              });
    }
    HttpResponse<String> anonymous = bearer(null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.body())
        .contains("ServiceAccount tokens of namespace " + ns.name())
        .contains("audience " + ServiceAccountTokens.GATEWAY_AUDIENCE)
        .contains("set spec.access.public: true on InferenceEndpoint " + ns.name());
    // A token of another namespace, even for the right audience: 403.
    String elsewhere = TestNamespace.create(ns.client(), "access-other");
    try {
      HttpResponse<String> stranger =
          bearer(
              ServiceAccountTokens.issue(
                  ns.client(), elsewhere, "caller", ServiceAccountTokens.GATEWAY_AUDIENCE));
      assertThat(stranger.statusCode()).isEqualTo(403);
      assertThat(stranger.headers().firstValue("x-amzn-ErrorType"))
          .hasValue("AccessDeniedException");
    } finally {
      ns.client().namespaces().withName(elsewhere).delete();
    }
    // The own namespace's token for the API server's audience: 401.
    assertThat(bearer(token("caller", null)).statusCode()).isEqualTo(401);
    assertThat(invocationsAt(copy)).as("refused requests never reach the model").isZero();

    // Any ServiceAccount of the namespace, with a token for the gateway's audience: served, also
    // through the SDK (the token in X-Api-Key).
    String token = token("stranger", ServiceAccountTokens.GATEWAY_AUDIENCE);
    assertThat(bearer(token).body()).isEqualTo("hello");
    try (SageMakerRuntimeClient withToken = GatewayClients.runtime(httpPort, token)) {
      assertThat(invoke(withToken)).isEqualTo("hello");
    }
    assertThat(invocationsAt(copy)).isEqualTo(2);
  }

  /** Only access: {public: true} opens an endpoint to callers without a credential. */
  @Test
  void aPublicEndpointServesAnonymousCallers() throws Exception {
    ns.apply(LocalManifests.cpuComponent(1, "", "  access: {public: true}\n"));
    String copy = awaitReadyCopy();
    try (SageMakerRuntimeClient anonymous = GatewayClients.runtime(httpPort)) {
      assertThat(invoke(anonymous)).isEqualTo("hello");
    }
    assertThat(invocationsAt(copy)).isEqualTo(1);
    await()
        .atMost(TIMEOUT)
        .until(
            () -> ns.get(InferenceEndpoint.class, "cpu").getStatus(),
            st -> st != null && "Public".equals(st.access()));
  }

  @Test
  void accessAddedToAPublicEndpointAppliesToTheNextRequests() throws Exception {
    ns.apply(LocalManifests.cpuComponent(1));
    awaitReadyCopy();
    try (SageMakerRuntimeClient anonymous = GatewayClients.runtime(httpPort)) {
      assertThat(invoke(anonymous)).isEqualTo("hello"); // the public route is now cached
      ns.apply(
          LocalManifests.cpuComponent(1, "", "  access: {apiKeys: {secretRef: {name: keys}}}\n"));
      await()
          .atMost(TIMEOUT)
          .untilAsserted(
              () ->
                  assertRefused(
                      () -> invoke(anonymous), 401, "MissingAuthenticationTokenException"));
    }
    assertThat(bearer("key-two").statusCode()).isEqualTo(200);
  }

  @Test
  void anEndpointWhoseSecretDoesNotExistRefusesEveryone() throws Exception {
    ns.apply(
        LocalManifests.cpuComponent(
            1, "", "  access: {apiKeys: {secretRef: {name: no-such-secret}}}\n"));
    String copy = awaitReadyCopy();
    assertThat(bearer("key-one").statusCode()).isEqualTo(401);
    assertThat(invocationsAt(copy)).isZero();
  }

  // --- helpers -----------------------------------------------------------------------------

  private String invoke(SageMakerRuntimeClient runtime) {
    return runtime
        .invokeEndpoint(
            r ->
                r.endpointName(SageMakerNames.forObject(ns.name(), "cpu"))
                    .contentType("text/plain")
                    .body(SdkBytes.fromUtf8String("hello")))
        .body()
        .asUtf8String();
  }

  private static void assertRefused(Runnable call, int status, String code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            SageMakerRuntimeException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(status);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            });
  }

  /** An invocation with {@code credential} as a bearer credential; null: with none. */
  private HttpResponse<String> bearer(String credential) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://localhost:"
                        + httpPort
                        + "/endpoints/"
                        + SageMakerNames.forObject(ns.name(), "cpu")
                        + "/invocations"))
            .header("Content-Type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofString("hello"));
    if (credential != null) {
      request.header("Authorization", "Bearer " + credential);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A token of ServiceAccount {@code name}, for {@code audience} (null: the API server's). */
  private String token(String name, String audience) {
    var spec = new TokenRequestBuilder().withNewSpec().withExpirationSeconds(600L);
    if (audience != null) {
      spec.withAudiences(audience);
    }
    return ns.client()
        .serviceAccounts()
        .inNamespace(ns.name())
        .withName(name)
        .tokenRequest(spec.endSpec().build())
        .getStatus()
        .getToken();
  }

  private void keys(Map<String, String> keys) {
    ns.resources(Secret.class)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("keys")
                .endMetadata()
                .withStringData(keys)
                .build())
        .createOr(existing -> existing.update());
  }

  private int invocationsAt(String copy) throws Exception {
    return Integer.parseInt(
        http.send(
                HttpRequest.newBuilder(URI.create("http://" + copy + ":8080/invocation-count"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }

  /** The pod IP of the component's one ready copy. */
  private String awaitReadyCopy() {
    return ReadyPods.await(ns, 1).get(0).getStatus().getPodIP();
  }
}
