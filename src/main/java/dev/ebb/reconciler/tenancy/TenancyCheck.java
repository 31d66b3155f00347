package dev.ebb.reconciler.tenancy;

import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.InferenceEndpointSpec;
import dev.ebb.reconciler.Reasons;
import dev.ebb.reconciler.tenancy.TenancyRules.Tenant;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a namespace may use an execution role, a region and an adoption, before any AWS
 * call is made for it. Pure: every rule is a table row in {@code TenancyCheckTest}.
 */
public final class TenancyCheck {
  private TenancyCheck() {}

  /**
   * What an object would have Ebb do in AWS on its behalf.
   *
   * @param namespace the object's namespace
   * @param executionRoleArn the role SageMaker would be handed (the spec's or the operator's
   *     default)
   * @param region the region calls would go to, empty when only the SDK's chain knows it
   * @param adopts the SageMaker name the object asks to adopt, with the field that names it
   */
  public record Request(
      String namespace, String executionRoleArn, Optional<String> region, Optional<Adopts> adopts) {

    /**
     * What {@code endpoint} asks for: its role, its region (else the operator's default) and the
     * endpoint it adopts.
     */
    public static Request of(
        InferenceEndpoint endpoint, String executionRoleArn, Optional<String> defaultRegion) {
      var sagemaker = Optional.ofNullable(endpoint.getSpec().sagemaker());
      return new Request(
          endpoint.getMetadata().getNamespace(),
          executionRoleArn,
          sagemaker.map(InferenceEndpointSpec.SageMaker::region).or(() -> defaultRegion),
          sagemaker
              .filter(s -> Boolean.TRUE.equals(s.adopt()))
              .map(s -> new Adopts(s.endpointName(), "spec.sagemaker.endpointName")));
    }

    /**
     * What {@code component} asks for: its endpoint's role and region, and the component it adopts
     * (an endpoint's adoption is its own object's).
     */
    public static Request of(
        InferenceComponent component,
        InferenceEndpoint endpoint,
        String executionRoleArn,
        Optional<String> defaultRegion) {
      Request onEndpoint = of(endpoint, executionRoleArn, defaultRegion);
      return new Request(
          component.getMetadata().getNamespace(),
          executionRoleArn,
          onEndpoint.region(),
          Optional.ofNullable(component.getSpec().sagemaker())
              .filter(s -> Boolean.TRUE.equals(s.adopt()))
              .map(
                  s ->
                      new Adopts(
                          s.inferenceComponentName(), "spec.sagemaker.inferenceComponentName")));
    }
  }

  /** An adoption: the SageMaker name, and the spec field that sets it (for the message). */
  public record Adopts(String name, String field) {}

  /** Why the request is refused: a reason of {@link Reasons} and a message saying what to do. */
  public record Denied(String reason, String message) {}

  /** Empty when {@code rights} allow {@code request}, else why not. */
  public static Optional<Denied> check(Rights rights, Request request) {
    if (rights instanceof Rights.Unrestricted) {
      return Optional.empty();
    }
    if (rights instanceof Rights.Unavailable unavailable) {
      return denied(
          Reasons.TENANCY_UNAVAILABLE,
          "Tenancy is on (ebb.tenancy.enabled) but ConfigMap %s %s. Ebb makes no AWS call for any"
              + " namespace until a cluster admin fixes it (Helm value tenancy.tenants; see"
              + " docs/tenancy.md).",
          unavailable.source(),
          unavailable.why());
    }
    Rights.Granted granted = (Rights.Granted) rights;
    String ns = request.namespace();
    Optional<Tenant> found =
        granted.rules().tenants().stream()
            .filter(t -> t.namespaces().stream().anyMatch(g -> TenancyRules.matches(g, ns)))
            .findFirst();
    if (found.isEmpty()) {
      return denied(
          Reasons.NAMESPACE_NOT_PERMITTED,
          "Namespace %s has no rights to SageMaker: no tenant in ConfigMap %s lists it. A cluster"
              + " admin adds a tenant whose namespaces match it (Helm value tenancy.tenants; see"
              + " docs/tenancy.md). Nothing was called in AWS.",
          ns,
          granted.source());
    }
    Tenant tenant = found.get();
    String role = request.executionRoleArn();
    if (tenant.executionRoleArns().stream().noneMatch(g -> TenancyRules.matches(g, role))) {
      return denied(
          Reasons.ROLE_NOT_ALLOWED,
          "Namespace %s may not use execution role %s (spec.sagemaker.executionRoleArn, or the"
              + " operator's default); it may use %s. Use one of those, or ask a cluster admin to"
              + " grant the role in ConfigMap %s. Nothing was called in AWS.",
          ns,
          role,
          list(tenant.executionRoleArns()),
          granted.source());
    }
    Optional<String> account = account(role);
    if (!tenant.accounts().isEmpty()
        && (account.isEmpty() || !tenant.accounts().contains(account.get()))) {
      return denied(
          Reasons.ACCOUNT_NOT_ALLOWED,
          "Execution role %s is in account %s; namespace %s may use accounts %s only (ConfigMap"
              + " %s). Nothing was called in AWS.",
          role,
          account.orElse("(none: not an IAM role ARN)"),
          ns,
          list(tenant.accounts()),
          granted.source());
    }
    if (!tenant.regions().isEmpty()) {
      if (request.region().isEmpty()) {
        return denied(
            Reasons.REGION_NOT_ALLOWED,
            "Namespace %s may use regions %s only, and this object names none: set"
                + " spec.sagemaker.region, or install Ebb with a default region (aws.region)."
                + " Nothing was called in AWS.",
            ns,
            list(tenant.regions()));
      }
      if (!tenant.regions().contains(request.region().get())) {
        return denied(
            Reasons.REGION_NOT_ALLOWED,
            "Namespace %s may not use region %s; it may use %s (ConfigMap %s). Nothing was called"
                + " in AWS.",
            ns,
            request.region().get(),
            list(tenant.regions()),
            granted.source());
      }
    }
    if (request.adopts().isPresent()) {
      Adopts adopts = request.adopts().get();
      String prefix = tenant.adoption().namePrefix();
      if (!tenant.adoption().allowed()) {
        return denied(
            Reasons.ADOPTION_NOT_ALLOWED,
            "Namespace %s may not adopt SageMaker resources made outside Ebb (%s: %s with adopt:"
                + " true). Remove adopt, or ask a cluster admin for adoption rights in ConfigMap"
                + " %s. Nothing was called in AWS.",
            ns,
            adopts.field(),
            adopts.name(),
            granted.source());
      }
      if (prefix != null && !adopts.name().startsWith(prefix)) {
        return denied(
            Reasons.ADOPTION_NOT_ALLOWED,
            "Namespace %s may adopt only SageMaker names that start with %s, not %s (%s). Nothing"
                + " was called in AWS.",
            ns,
            prefix,
            adopts.name(),
            adopts.field());
      }
    }
    return Optional.empty();
  }

  /** The account of an IAM role ARN ({@code arn:aws:iam::123456789012:role/...}). */
  static Optional<String> account(String roleArn) {
    String[] parts = roleArn.split(":", 6);
    if (parts.length < 6 || !parts[0].equals("arn") || !parts[2].equals("iam")) {
      return Optional.empty();
    }
    return parts[4].isEmpty() ? Optional.empty() : Optional.of(parts[4]);
  }

  private static String list(List<String> values) {
    return values.isEmpty() ? "none" : String.join(", ", values);
  }

  private static Optional<Denied> denied(String reason, String format, Object... args) {
    return Optional.of(new Denied(reason, format.formatted(args)));
  }
}
