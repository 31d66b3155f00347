package dev.ebb.reconciler.tenancy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The rights cluster admins grant, as read from the tenancy ConfigMap's {@code tenants.yaml}: an
 * ordered list of tenants, each naming its namespaces (names or globs) and what they may use. The
 * first tenant whose {@code namespaces} match a namespace is that namespace's; a namespace no
 * tenant matches has no rights on backend sagemaker.
 */
public record TenancyRules(List<Tenant> tenants) {
  /** The key of the ConfigMap's data that holds the rules. */
  public static final String KEY = "tenants.yaml";

  public TenancyRules {
    tenants = tenants == null ? List.of() : List.copyOf(tenants);
  }

  /**
   * One tenant's rights.
   *
   * @param namespaces names or globs ({@code *} matches any characters), at least one
   * @param executionRoleArns the roles it may use, exact or globs; none: no SageMaker at all
   * @param accounts the AWS accounts its roles may be in; absent or empty: any
   * @param regions the regions it may use; absent or empty: any
   * @param adoption whether it may adopt SageMaker endpoints and components made outside Ebb
   */
  public record Tenant(
      List<String> namespaces,
      List<String> executionRoleArns,
      List<String> accounts,
      List<String> regions,
      Adoption adoption) {
    public Tenant {
      namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
      executionRoleArns = executionRoleArns == null ? List.of() : List.copyOf(executionRoleArns);
      accounts = accounts == null ? List.of() : List.copyOf(accounts);
      regions = regions == null ? List.of() : List.copyOf(regions);
      adoption = adoption == null ? Adoption.NONE : adoption;
    }
  }

  /**
   * @param allowed whether the tenant may adopt at all (default false)
   * @param namePrefix if set, only SageMaker names that start with it
   */
  public record Adoption(
      @JsonProperty("allowed") boolean allowed, @JsonProperty("namePrefix") String namePrefix) {
    public static final Adoption NONE = new Adoption(false, null);
  }

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  /**
   * Parses {@code tenants.yaml}. Strict (an unknown field is refused, not ignored): a misspelt
   * right must not silently grant or deny.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static TenancyRules parse(String yaml) {
    if (yaml == null || yaml.isBlank()) {
      return new TenancyRules(List.of());
    }
    TenancyRules rules;
    try {
      rules = YAML.readValue(yaml, TenancyRules.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          KEY + " is not valid: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
    if (rules == null) {
      return new TenancyRules(List.of());
    }
    for (int i = 0; i < rules.tenants().size(); i++) {
      if (rules.tenants().get(i).namespaces().isEmpty()) {
        throw new IllegalArgumentException(
            KEY + " is not valid: tenants[" + i + "].namespaces is empty");
      }
    }
    return rules;
  }

  /** Whether {@code value} matches {@code glob}: {@code *} is any characters, the rest literal. */
  static boolean matches(String glob, String value) {
    String regex =
        Arrays.stream(glob.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*"));
    return Pattern.matches(regex, value);
  }
}
