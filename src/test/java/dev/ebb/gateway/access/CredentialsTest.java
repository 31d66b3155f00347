package dev.ebb.gateway.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CredentialsTest {
  @ParameterizedTest(name = "Authorization={0}, X-Api-Key={1} → {2}")
  @CsvSource(
      nullValues = "-",
      value = {
        "Bearer abc,        -,      abc",
        "bearer  abc ,      -,      abc",
        "Bearer abc,        xyz,    abc",
        // What the AWS SDKs send: their SigV4 signature is not a gateway credential.
        "AWS4-HMAC-SHA256 Credential=AKID/20261202/us-east-1/sagemaker/aws4_request, xyz, xyz",
        "-,                 xyz,    xyz",
        "Bearer ,           -,      -",
        "-,                 '  ',   -",
        "-,                 -,      -",
      })
  void theCredentialComesFromBearerThenApiKey(
      String authorization, String apiKey, String expected) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (authorization != null) {
      headers.add("authorization", authorization);
    }
    if (apiKey != null) {
      headers.add("x-api-key", apiKey);
    }
    assertThat(Credentials.of(headers)).isEqualTo(Optional.ofNullable(expected));
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOlsiZWJiIl19.c2ln, true",
    "key-one, false",
    "a.b, false",
    "a.b.c.d, false",
    ".b.c, false",
    "a..c, false",
  })
  void onlyJwtShapedCredentialsGoToTokenReview(String credential, boolean jwt) {
    assertThat(Credentials.looksLikeJwt(credential)).isEqualTo(jwt);
  }
}
