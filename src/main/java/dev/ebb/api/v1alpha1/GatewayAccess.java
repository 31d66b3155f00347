package dev.ebb.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * Who may call an endpoint through the Ebb gateway. Closed by default: an endpoint without {@code
 * spec.access} is treated as {@link #DEFAULT} (ServiceAccount tokens of its own namespace). With
 * one or both methods set, a request must carry a credential one of them accepts, or it is answered
 * 401/403 without reaching a model; only {@code public: true} lets every caller in.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "has(self.apiKeys) || has(self.serviceAccountTokens) || (has(self.public) && self.public)",
    message =
        "spec.access needs apiKeys, serviceAccountTokens or both, or public: true (omit it to"
            + " accept ServiceAccount tokens of the endpoint's namespace)")
@ValidationRule(
    value =
        "!(has(self.public) && self.public) || !(has(self.apiKeys) || has(self.serviceAccountTokens))",
    message =
        "spec.access.public: true opens the endpoint to every caller and cannot be combined with"
            + " spec.access.apiKeys or spec.access.serviceAccountTokens",
    fieldPath = ".public")
@JsonClassDescription(
    "Who may call the endpoint through the gateway: API keys from a Secret and/or Kubernetes"
        + " ServiceAccount tokens, or everyone (public: true). Without spec.access only"
        + " ServiceAccount tokens of the endpoint's namespace, for the gateway's audience, are"
        + " accepted. Credentials go in 'Authorization: Bearer <credential>' or"
        + " 'X-Api-Key: <credential>'.")
public record GatewayAccess(
    @JsonPropertyDescription("API keys: every value in the Secret's data is an accepted key.")
        ApiKeys apiKeys,
    @JsonPropertyDescription(
            "Kubernetes ServiceAccount tokens, checked by TokenReview and bound to an audience.")
        ServiceAccountTokens serviceAccountTokens,
    @JsonProperty("public")
        @JsonPropertyDescription(
            "true opens the endpoint to every caller that can reach the gateway, without a"
                + " credential (the gateway then calls SageMaker with the operator's own role)."
                + " Cannot be combined with apiKeys or serviceAccountTokens.")
        Boolean publicAccess) {

  /**
   * What an endpoint without {@code spec.access} accepts: ServiceAccount tokens of its own
   * namespace, for the gateway's configured audience (the same as {@code serviceAccountTokens:
   * {}}).
   */
  public static final GatewayAccess DEFAULT =
      new GatewayAccess(null, new ServiceAccountTokens(null, null), null);

  /** What {@code access} (null when the spec has none) accepts in effect. */
  public static GatewayAccess effective(GatewayAccess access) {
    return access == null ? DEFAULT : access;
  }

  /** Whether {@code access} lets every caller in. */
  public static boolean isPublic(GatewayAccess access) {
    return access != null && Boolean.TRUE.equals(access.publicAccess());
  }

  /** Status and printer-column word for an endpoint open to every caller. */
  public static final String MODE_PUBLIC = "Public";

  /**
   * One word for what {@code access} accepts, shown as the status' {@code access} and the {@code
   * Access} printer column: {@code Public}, {@code ServiceAccounts} (also the default), {@code
   * ApiKeys} or {@code ApiKeys,ServiceAccounts}.
   */
  public static String mode(GatewayAccess access) {
    if (isPublic(access)) {
      return MODE_PUBLIC;
    }
    GatewayAccess in = effective(access);
    if (in.apiKeys() != null && in.serviceAccountTokens() != null) {
      return "ApiKeys,ServiceAccounts";
    }
    return in.apiKeys() != null ? "ApiKeys" : "ServiceAccounts";
  }

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
