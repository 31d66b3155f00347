package dev.ebb.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * Who may call an endpoint through the Ebb gateway. With neither method set the endpoint is open to
 * every caller that can reach the gateway; with one or both, a request must carry a credential one
 * of them accepts, or it is answered 401/403 without reaching a model.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.apiKeys) || has(self.serviceAccountTokens)",
    message = "spec.access needs apiKeys, serviceAccountTokens or both (omit it for open access)")
@JsonClassDescription(
    "Who may call the endpoint through the gateway: API keys from a Secret and/or Kubernetes"
        + " ServiceAccount tokens. Credentials go in 'Authorization: Bearer <credential>' or"
        + " 'X-Api-Key: <credential>'.")
public record GatewayAccess(
    @JsonPropertyDescription("API keys: every value in the Secret's data is an accepted key.")
        ApiKeys apiKeys,
    @JsonPropertyDescription(
            "Kubernetes ServiceAccount tokens, checked by TokenReview and bound to an audience.")
        ServiceAccountTokens serviceAccountTokens) {

  /** API keys kept in a Secret of the endpoint's namespace. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ApiKeys(
      @JsonPropertyDescription(
              "The Secret, in the endpoint's namespace, whose every data value is an accepted"
                  + " key. Add a key before handing it out and remove the old one to rotate;"
                  + " changes apply within seconds.")
          @Required
          LocalObjectReference secretRef) {}

  /** ServiceAccount tokens (projected, audience-bound). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ServiceAccountTokens(
      @JsonPropertyDescription(
              "The audience a token must be issued for (a projected token's 'audience')."
                  + " Defaults to the gateway's configured audience (ebb.gateway.token-audience,"
                  + " 'ebb-gateway'). Tokens for the API server's own audience are refused.")
          @Size(min = 1, max = 253)
          String audience,
      @JsonPropertyDescription(
              "ServiceAccounts allowed to call. Defaults to every ServiceAccount of the"
                  + " endpoint's namespace.")
          @Size(max = 64)
          List<ServiceAccountRef> serviceAccounts) {}

  /** A ServiceAccount, or every ServiceAccount of a namespace. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ServiceAccountRef(
      @JsonPropertyDescription("Namespace of the ServiceAccount.")
          @Required
          @Size(min = 1, max = 63)
          @Pattern(Validation.K8S_NAME)
          String namespace,
      @JsonPropertyDescription(
              "Name of the ServiceAccount; omit for every ServiceAccount of the namespace.")
          @Size(min = 1, max = 253)
          @Pattern(Validation.K8S_NAME)
          String name) {}
}
