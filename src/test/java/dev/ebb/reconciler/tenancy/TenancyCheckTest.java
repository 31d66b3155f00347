package dev.ebb.reconciler.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.reconciler.Reasons;
import dev.ebb.reconciler.tenancy.TenancyCheck.Adopts;
import dev.ebb.reconciler.tenancy.TenancyCheck.Denied;
import dev.ebb.reconciler.tenancy.TenancyCheck.Request;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TenancyCheckTest {
  private static final String SOURCE = "ebb-system/ebb-tenancy";

  /** Two tenants, as docs/tenancy.md's example writes them. */
  private static final TenancyRules RULES =
      TenancyRules.parse(
          """
          tenants:
          - namespaces: [team-a, team-a-*]
            executionRoleArns: ["arn:aws:iam::111111111111:role/ebb/team-a/*"]
            regions: [us-east-1, eu-west-1]
          - namespaces: [platform]
            executionRoleArns:
            - "arn:aws:iam::*:role/ebb/platform/*"
            - arn:aws:iam::111111111111:role/ebb/shared
            accounts: ["111111111111", "222222222222"]
            adoption: {allowed: true, namePrefix: legacy-}
          - namespaces: ["*-sandbox"]
            executionRoleArns: ["arn:aws:iam::111111111111:role/ebb/sandbox"]
            adoption: {allowed: true}
          """);

  private static final Rights GRANTED = new Rights.Granted(SOURCE, RULES);
  private static final String A_ROLE = "arn:aws:iam::111111111111:role/ebb/team-a/inference";
  private static final String PLATFORM_ROLE = "arn:aws:iam::222222222222:role/ebb/platform/x";
  private static final Optional<String> US = Optional.of("us-east-1");

  private static Request request(String ns, String role, Optional<String> region) {
    return new Request(ns, role, region, Optional.empty());
  }

  private static Request adopting(String ns, String role, String name) {
    return new Request(ns, role, US, Optional.of(new Adopts(name, "spec.sagemaker.endpointName")));
  }

  static Stream<Arguments> rows() {
    return Stream.of(
        // rights, request, expected reason (null: allowed)
        Arguments.of(
            "tenancy off: anything goes",
            Rights.UNRESTRICTED,
            adopting("anyone", "arn:aws:iam::999999999999:role/Admin", "theirs"),
            null),
        Arguments.of(
            "ConfigMap missing: fails closed",
            new Rights.Unavailable(SOURCE, "does not exist"),
            request("team-a", A_ROLE, US),
            Reasons.TENANCY_UNAVAILABLE),
        Arguments.of(
            "namespace by name, role by glob", GRANTED, request("team-a", A_ROLE, US), null),
        Arguments.of("namespace by glob", GRANTED, request("team-a-dev", A_ROLE, US), null),
        Arguments.of(
            "a namespace no tenant lists",
            GRANTED,
            request("team-b", A_ROLE, US),
            Reasons.NAMESPACE_NOT_PERMITTED),
        Arguments.of(
            "a glob is anchored: team-ab is not team-a",
            GRANTED,
            request("team-ab", A_ROLE, US),
            Reasons.NAMESPACE_NOT_PERMITTED),
        Arguments.of(
            "another team's role",
            GRANTED,
            request("team-a", "arn:aws:iam::111111111111:role/ebb/team-b/inference", US),
            Reasons.ROLE_NOT_ALLOWED),
        Arguments.of(
            "a role outside the path",
            GRANTED,
            request("team-a", "arn:aws:iam::111111111111:role/Admin", US),
            Reasons.ROLE_NOT_ALLOWED),
        Arguments.of(
            "a role like the glob's prefix in another account",
            GRANTED,
            request("team-a", "arn:aws:iam::999999999999:role/ebb/team-a/x", US),
            Reasons.ROLE_NOT_ALLOWED),
        Arguments.of(
            "an exact role",
            GRANTED,
            request("platform", "arn:aws:iam::111111111111:role/ebb/shared", US),
            null),
        Arguments.of(
            "a role in a listed account", GRANTED, request("platform", PLATFORM_ROLE, US), null),
        Arguments.of(
            "a role the glob allows, in an account the tenant may not use",
            GRANTED,
            request("platform", "arn:aws:iam::333333333333:role/ebb/platform/x", US),
            Reasons.ACCOUNT_NOT_ALLOWED),
        Arguments.of(
            "a region not listed",
            GRANTED,
            request("team-a", A_ROLE, Optional.of("ap-south-1")),
            Reasons.REGION_NOT_ALLOWED),
        Arguments.of(
            "no region known while regions are restricted",
            GRANTED,
            request("team-a", A_ROLE, Optional.empty()),
            Reasons.REGION_NOT_ALLOWED),
        Arguments.of(
            "no regions listed: any region",
            GRANTED,
            request("platform", PLATFORM_ROLE, Optional.of("ap-south-1")),
            null),
        Arguments.of(
            "adoption without rights",
            GRANTED,
            adopting("team-a", A_ROLE, "legacy-ranker"),
            Reasons.ADOPTION_NOT_ALLOWED),
        Arguments.of(
            "adoption within the prefix",
            GRANTED,
            adopting("platform", PLATFORM_ROLE, "legacy-ranker"),
            null),
        Arguments.of(
            "adoption outside the prefix",
            GRANTED,
            adopting("platform", PLATFORM_ROLE, "payments-fraud"),
            Reasons.ADOPTION_NOT_ALLOWED),
        Arguments.of(
            "adoption of any name",
            GRANTED,
            adopting("ml-sandbox", "arn:aws:iam::111111111111:role/ebb/sandbox", "anything"),
            null),
        Arguments.of(
            "the role is checked before adoption",
            GRANTED,
            adopting("team-a", "arn:aws:iam::111111111111:role/Admin", "legacy-x"),
            Reasons.ROLE_NOT_ALLOWED),
        Arguments.of(
            "a tenant with no roles may not use SageMaker",
            new Rights.Granted(SOURCE, TenancyRules.parse("tenants: [{namespaces: [local-only]}]")),
            request("local-only", A_ROLE, US),
            Reasons.ROLE_NOT_ALLOWED),
        Arguments.of(
            "an empty ConfigMap grants nothing",
            new Rights.Granted(SOURCE, TenancyRules.parse("")),
            request("team-a", A_ROLE, US),
            Reasons.NAMESPACE_NOT_PERMITTED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void decides(String row, Rights rights, Request request, String reason) {
    Optional<Denied> denied = TenancyCheck.check(rights, request);
    assertThat(denied.map(Denied::reason).orElse(null)).as(row).isEqualTo(reason);
    denied.ifPresent(
        d ->
            assertThat(d.message())
                .as("the message names the namespace or the ConfigMap")
                .containsAnyOf(request.namespace(), SOURCE));
  }

  @Test
  void messagesSayWhatToDo() {
    assertThat(TenancyCheck.check(GRANTED, request("team-a", "arn:aws:iam::1:role/Admin", US)))
        .get()
        .extracting(Denied::message)
        .asString()
        .contains("arn:aws:iam::1:role/Admin", "arn:aws:iam::111111111111:role/ebb/team-a/*")
        .contains(SOURCE)
        .contains("Nothing was called in AWS");
    assertThat(TenancyCheck.check(GRANTED, request("team-b", A_ROLE, US)))
        .get()
        .extracting(Denied::message)
        .asString()
        .contains("tenancy.tenants", "docs/tenancy.md");
  }

  @Test
  void aMisspeltRightIsRefusedNotIgnored() {
    assertThatThrownBy(
            () -> TenancyRules.parse("tenants: [{namespaces: [a], executionRoles: [x]}]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("executionRoles");
    assertThatThrownBy(() -> TenancyRules.parse("tenants: [{executionRoleArns: [x]}]"))
        .hasMessageContaining("tenants[0].namespaces is empty");
  }

  @Test
  void globsMatchWholeValuesAndQuoteTheRest() {
    assertThat(TenancyRules.matches("team-*", "team-a")).isTrue();
    assertThat(TenancyRules.matches("team-*", "xteam-a")).isFalse();
    assertThat(TenancyRules.matches("*-sandbox", "ml-sandbox")).isTrue();
    assertThat(TenancyRules.matches("a.b", "axb")).as("a dot is a dot").isFalse();
    assertThat(TenancyRules.matches("*", "")).isTrue();
    assertThat(TenancyCheck.account("arn:aws:iam::123456789012:role/x")).contains("123456789012");
    assertThat(TenancyCheck.account("not-an-arn")).isEmpty();
  }
}
