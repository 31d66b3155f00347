package dev.ebb.iam;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code config/iam/ebb-operator-policy.json} grants exactly what Ebb's code needs: every AWS
 * operation the main classes invoke is allowed, and nothing else is. Adding an AWS call without
 * updating the policy fails here, and so does granting an action no code uses.
 *
 * <p>What Ebb needs is read from the bytecode (ArchUnit): calls on AWS SDK service clients, SigV4
 * requests Ebb signs itself, role ARNs set on requests (iam:PassRole), plus the few permissions AWS
 * checks on Ebb's behalf when it makes a call ({@link #IMPLIED}). See config/iam/README.md.
 */
class IamPolicyTest {
  private static final Path POLICY = Path.of("config/iam/ebb-operator-policy.json");

  /** An SDK service client: {@code software.amazon.awssdk.services.<service>.<Name>Client}. */
  private static final Pattern CLIENT =
      Pattern.compile("software\\.amazon\\.awssdk\\.services\\.(\\w+)\\.\\w+Client");

  /** An SDK request builder: {@code ...services.<service>.model.<Operation>Request$Builder}. */
  private static final Pattern REQUEST_BUILDER =
      Pattern.compile(
          "software\\.amazon\\.awssdk\\.services\\.(\\w+)\\.model\\.(\\w+)Request\\$Builder");

  /** SDK package to IAM service prefix. A client of another service fails the test until added. */
  private static final Map<String, String> PREFIXES =
      Map.of(
          "sagemaker", "sagemaker",
          "sagemakerruntime", "sagemaker",
          "applicationautoscaling", "application-autoscaling",
          "cloudwatch", "cloudwatch",
          "s3", "s3",
          "sns", "sns");

  /** SDK package to the service principal a role passed in its requests goes to. */
  private static final Map<String, String> PRINCIPALS =
      Map.of(
          "sagemaker", "sagemaker.amazonaws.com",
          "applicationautoscaling", "application-autoscaling.amazonaws.com");

  /**
   * S3's IAM actions are not its API names; each S3 call Ebb makes must be mapped here. (Ebb's own
   * S3 calls are backend local's asynchronous invocations; SageMaker reads model data with the
   * execution role, and backend local's init container with the pod's own credentials.)
   */
  private static final Map<String, String> S3_ACTIONS =
      Map.of(
          "headObject", "s3:GetObject",
          "getObject", "s3:GetObject",
          "getObjectAsBytes", "s3:GetObject",
          "putObject", "s3:PutObject",
          "deleteObject", "s3:DeleteObject",
          "listObjectsV2", "s3:ListBucket",
          "listObjects", "s3:ListBucket",
          "headBucket", "s3:ListBucket");

  /**
   * Main classes of Ebb that do not run as the operator: their calls are made with other
   * credentials. The model fetcher runs in model pods, as their ServiceAccount (see
   * config/iam/README.md).
   */
  private static final Set<String> NOT_THE_OPERATOR = Set.of("dev.ebb.sagemaker.ModelFetch");

  /** Client methods that are not AWS operations. */
  private static final Set<String> NOT_OPERATIONS =
      Set.of("close", "serviceName", "serviceClientConfiguration", "builder", "create");

  /**
   * Methods of Ebb that sign a request with SigV4 for their caller to send, and the action the
   * request is. The URL decides it: {@code /invocations} is InvokeEndpoint, {@code
   * /invocations-response-stream} InvokeEndpointWithResponseStream, {@code /async-invocations}
   * InvokeEndpointAsync. A new signing method fails the test until listed.
   */
  private static final Map<String, Set<String>> SIGNED =
      Map.of(
          "dev.ebb.sagemaker.AwsClients.signInvocation",
          Set.of(
              "sagemaker:InvokeEndpoint",
              "sagemaker:InvokeEndpointAsync",
              "sagemaker:InvokeEndpointWithResponseStream"));

  /**
   * Permissions AWS checks with Ebb's credentials when Ebb calls an operation.
   *
   * <ul>
   *   <li>SageMaker authorizes the tags on a Create* request as {@code sagemaker:AddTags}; Ebb tags
   *       everything it creates with its ownership tags.
   *   <li>RegisterScalableTarget creates Application Auto Scaling's service-linked role for
   *       SageMaker on first use, and checks that the caller could itself describe and resize the
   *       target: SageMaker's "Auto scaling prerequisites" list the variant's actions; the
   *       inference component's are their counterparts (and Ebb calls those itself anyway).
   *   <li>PutScalingPolicy first checks that the caller may describe, create and delete CloudWatch
   *       alarms ("Permissions validation for Application Auto Scaling API calls on target
   *       resources"), with requests of its own making, not for Ebb's {@code ebb-*} alarms: the
   *       grant cannot be scoped to alarm names ({@link #cloudWatchAlarmActionsAreNotScoped}).
   * </ul>
   */
  private static final Map<String, Set<String>> IMPLIED =
      Map.of(
          "sagemaker:CreateModel",
          Set.of("sagemaker:AddTags"),
          "sagemaker:CreateEndpointConfig",
          Set.of("sagemaker:AddTags"),
          "sagemaker:CreateEndpoint",
          Set.of("sagemaker:AddTags"),
          "sagemaker:CreateInferenceComponent",
          Set.of("sagemaker:AddTags"),
          "application-autoscaling:RegisterScalableTarget",
          Set.of(
              "iam:CreateServiceLinkedRole",
              "sagemaker:DescribeEndpoint",
              "sagemaker:DescribeEndpointConfig",
              "sagemaker:UpdateEndpointWeightsAndCapacities",
              "sagemaker:DescribeInferenceComponent",
              "sagemaker:UpdateInferenceComponentRuntimeConfig"),
          "application-autoscaling:PutScalingPolicy",
          Set.of(
              "cloudwatch:DescribeAlarms", "cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms"));

  private static JavaClasses main;
  private static JsonNode policy;

  @BeforeAll
  static void load() throws IOException {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.ebb");
    policy = new ObjectMapper().readTree(POLICY.toFile());
  }

  /** (a) Every action Ebb's code needs is granted. */
  @Test
  void everyActionEbbNeedsIsGranted() {
    SortedMap<String, SortedSet<String>> missing = needed();
    assertThat(missing)
        .as("the scan finds Ebb's AWS calls")
        .containsKey("sagemaker:CreateEndpoint");
    missing.keySet().removeAll(granted().keySet());
    assertThat(missing).as("needed (action -> where) but not granted by %s", POLICY).isEmpty();
  }

  /** (b) Nothing is granted that no code needs. */
  @Test
  void nothingElseIsGranted() {
    SortedMap<String, String> extra = granted();
    extra.keySet().removeAll(needed().keySet());
    assertThat(extra).as("granted by %s (action -> Sid) but needed by no code", POLICY).isEmpty();
  }

  @Test
  void actionsAreNamedExactlyAndAllowed() {
    for (JsonNode statement : policy.path("Statement")) {
      assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
      assertThat(statement.has("NotAction") || statement.has("NotResource")).isFalse();
      for (JsonNode action : statement.path("Action")) {
        assertThat(action.asText()).as("no wildcards in actions").doesNotContain("*", "?");
      }
    }
  }

  /** Ebb passes execution roles to SageMaker and to nothing else. */
  @Test
  void rolesArePassedOnlyToTheServicesEbbPassesThemTo() {
    JsonNode condition = statementGranting("iam:PassRole").path("Condition").path("StringEquals");
    assertThat(new TreeSet<>(values(condition.path("iam:PassedToService"))))
        .isEqualTo(passedToServices().keySet());
  }

  /**
   * Ebb may pass only roles under the IAM path {@code /ebb/} (the naming convention of
   * config/iam/README.md and docs/tenancy.md), never any role in the account: a namespace that
   * names another role gets AccessDenied from IAM even with tenancy off. Narrowing further (an
   * account, a sub-path per team) still passes.
   */
  @Test
  void rolesArePassedOnlyUnderTheEbbPath() {
    Pattern scoped =
        Pattern.compile("arn:aws(-cn|-us-gov)?:iam::(\\*|[0-9]{12}):role/ebb/[^*]*\\*?");
    List<String> roles = resources(statementGranting("iam:PassRole"));
    assertThat(roles).isNotEmpty();
    assertThat(roles)
        .as("iam:PassRole resources")
        .allSatisfy(
            r -> {
              assertThat(r).matches(scoped);
              assertThat(r).doesNotEndWith(":role/*");
            });
  }

  @Test
  void theServiceLinkedRoleIsOnlyApplicationAutoScalingsForSageMaker() {
    JsonNode statement = statementGranting("iam:CreateServiceLinkedRole");
    assertThat(statement.path("Condition").path("StringEquals").path("iam:AWSServiceName").asText())
        .isEqualTo("sagemaker.application-autoscaling.amazonaws.com");
    assertThat(resources(statement))
        .containsExactly(
            "arn:aws:iam::*:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/"
                + "AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint");
  }

  /**
   * Application Auto Scaling validates the caller's CloudWatch permissions before it accepts a
   * scaling policy, with calls that do not name Ebb's alarms: a grant scoped to {@code alarm:ebb-*}
   * makes every PutScalingPolicy fail with "missing permission". See config/iam/README.md.
   */
  @Test
  void cloudWatchAlarmActionsAreNotScoped() {
    for (String action :
        List.of(
            "cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms")) {
      assertThat(resources(statementGranting(action))).as(action).containsExactly("*");
    }
  }

  /** SageMaker's List* actions (but ListTags) cannot be scoped to resources: they need "*". */
  @Test
  void sageMakerListsAreGrantedOnEverything() {
    granted().keySet().stream()
        .filter(a -> a.startsWith("sagemaker:List") && !a.equals("sagemaker:ListTags"))
        .forEach(a -> assertThat(resources(statementGranting(a))).as(a).containsExactly("*"));
  }

  // --- what the code needs ---

  /** Each needed action, with where it comes from. */
  static SortedMap<String, SortedSet<String>> needed() {
    SortedMap<String, SortedSet<String>> needed = new TreeMap<>();
    for (JavaClass c : main) {
      if (NOT_THE_OPERATOR.contains(c.getName())
          || NOT_THE_OPERATOR.contains(c.getName().replaceFirst("\\$.*", ""))) {
        continue;
      }
      for (JavaAccess<?> call : calls(c)) {
        String owner = call.getTargetOwner().getName();
        String method = call.getName();
        String site = call.getOrigin().getFullName();
        Matcher client = CLIENT.matcher(owner);
        if (client.matches() && !NOT_OPERATIONS.contains(method)) {
          need(needed, action(client.group(1), method), site);
        }
        if (isSigning(call)) {
          String signer = call.getOrigin().getOwner().getName() + "." + call.getOrigin().getName();
          assertThat(SIGNED)
              .as("%s signs an AWS request: list the IAM action it needs in SIGNED", signer)
              .containsKey(signer);
          SIGNED.get(signer).forEach(a -> need(needed, a, signer));
        }
      }
    }
    passedToServices()
        .forEach((principal, sites) -> sites.forEach(s -> need(needed, "iam:PassRole", s)));
    new TreeMap<>(needed)
        .forEach(
            (action, sites) ->
                IMPLIED
                    .getOrDefault(action, Set.of())
                    .forEach(implied -> need(needed, implied, "AWS, on " + action)));
    return needed;
  }

  /**
   * Services Ebb passes an IAM role to, with where: a role ARN set on an SDK request (e.g.
   * CreateModel's ExecutionRoleArn) is passed to the service that receives the request.
   */
  static SortedMap<String, SortedSet<String>> passedToServices() {
    SortedMap<String, SortedSet<String>> passed = new TreeMap<>();
    for (JavaClass c : main) {
      for (JavaAccess<?> call : calls(c)) {
        Matcher builder = REQUEST_BUILDER.matcher(call.getTargetOwner().getName());
        if (builder.matches() && call.getName().toLowerCase(Locale.ROOT).endsWith("rolearn")) {
          String principal = PRINCIPALS.get(builder.group(1));
          assertThat(principal)
              .as(
                  "a role is passed to service %s: add its principal to PRINCIPALS",
                  builder.group(1))
              .isNotNull();
          passed
              .computeIfAbsent(principal, k -> new TreeSet<>())
              .add(
                  builder.group(2)
                      + "."
                      + call.getName()
                      + " in "
                      + call.getOrigin().getFullName());
        }
      }
    }
    return passed;
  }

  /** {@code createEndpoint} on the sagemaker client is {@code sagemaker:CreateEndpoint}. */
  static String action(String service, String method) {
    String operation = method.replaceFirst("Paginator$", "");
    assertThat(operation)
        .as("waiters and utilities make calls of their own: map them explicitly")
        .isNotIn("waiter", "utilities");
    if (service.equals("s3")) {
      assertThat(S3_ACTIONS)
          .as("S3 operation %s: add its IAM action to S3_ACTIONS", operation)
          .containsKey(operation);
      return S3_ACTIONS.get(operation);
    }
    assertThat(PREFIXES)
        .as("AWS service %s: add its IAM prefix to PREFIXES", service)
        .containsKey(service);
    return PREFIXES.get(service)
        + ":"
        + Character.toUpperCase(operation.charAt(0))
        + operation.substring(1);
  }

  /** A call to one of the SDK's SigV4 signers. */
  private static boolean isSigning(JavaAccess<?> call) {
    String owner = call.getTargetOwner().getName();
    return (owner.startsWith("software.amazon.awssdk.http.auth.")
            || owner.startsWith("software.amazon.awssdk.auth.signer."))
        && (call.getName().equals("sign") || call.getName().equals("presign"));
  }

  /** Method calls and method references (e.g. {@code client::describeEndpoint}) from a class. */
  private static List<JavaAccess<?>> calls(JavaClass c) {
    List<JavaAccess<?>> calls = new ArrayList<>(c.getMethodCallsFromSelf());
    calls.addAll(c.getMethodReferencesFromSelf());
    return calls;
  }

  private static void need(Map<String, SortedSet<String>> needed, String action, String site) {
    needed.computeIfAbsent(action, k -> new TreeSet<>()).add(site);
  }

  // --- what the policy grants ---

  /** Each granted action, with its statement's Sid. */
  static SortedMap<String, String> granted() {
    SortedMap<String, String> granted = new TreeMap<>();
    for (JsonNode statement : policy.path("Statement")) {
      for (String action : values(statement.path("Action"))) {
        assertThat(granted).as("%s granted once", action).doesNotContainKey(action);
        granted.put(action, statement.path("Sid").asText());
      }
    }
    return granted;
  }

  private static JsonNode statementGranting(String action) {
    for (JsonNode statement : policy.path("Statement")) {
      if (values(statement.path("Action")).contains(action)) {
        return statement;
      }
    }
    throw new AssertionError(action + " is not granted");
  }

  private static List<String> resources(JsonNode statement) {
    return values(statement.path("Resource"));
  }

  /** An IAM policy element is a string or a list of strings. */
  private static List<String> values(JsonNode element) {
    if (element.isTextual()) {
      return List.of(element.asText());
    }
    List<String> values = new ArrayList<>();
    element.forEach(e -> values.add(e.asText()));
    return values;
  }
}
