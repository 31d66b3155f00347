package dev.ebb.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Import rules that keep Ebb's layers honest. */
@AnalyzeClasses(packages = "dev.ebb", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /**
   * The policy engine is pure: JDK only, so it can be tested with a stepped clock and reused by
   * both backends. The rule fails if the package is empty or moved, rather than passing vacuously.
   */
  @ArchTest
  static final ArchRule scalingEngineIsPureJava =
      noClasses()
          .that()
          .resideInAPackage("dev.ebb.scaling..")
          .should()
          .dependOnClassesThat()
          .resideOutsideOfPackages("java..", "dev.ebb.scaling..")
          .allowEmptyShould(false);

  /** No two of Ebb's packages depend on each other, directly or around a loop. */
  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("dev.ebb.(**)").should().beFreeOfCycles();

  /**
   * Backend local is run by the reconcilers, never the other way round: what it needs from them
   * (telling of scaling activities) it is given ({@link dev.ebb.local.ScalingEvents}).
   */
  @ArchTest
  static final ArchRule localDoesNotKnowTheReconcilers =
      noClasses()
          .that()
          .resideInAPackage("dev.ebb.local..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.ebb.reconciler..");

  /**
   * The batcher of backend local runs in a Job beside a model server, not in the operator: it knows
   * nothing of the reconcilers, the gateway, backend local's operator side, Kubernetes or Quarkus,
   * and reaches S3 only through the AWS boundary's {@link dev.ebb.sagemaker.S3Objects} (and its
   * {@link dev.ebb.sagemaker.S3Location}). It serves its progress with the JDK's own HTTP server
   * ({@code com.sun.net.httpserver}, module jdk.httpserver).
   */
  @ArchTest
  static final ArchRule batchStandsApartFromTheOperator =
      classes()
          .that()
          .resideInAPackage("dev.ebb.batch..")
          .should()
          .onlyDependOnClassesThat(
              com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage(
                      "dev.ebb.batch..",
                      "java..",
                      "com.fasterxml.jackson..",
                      "com.sun.net.httpserver..")
                  .or(
                      com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf(
                          dev.ebb.sagemaker.S3Objects.class, dev.ebb.sagemaker.S3Location.class)))
          .allowEmptyShould(false);

  /** The API types are plain data: no operator, Quarkus or AWS code. */
  @ArchTest
  static final ArchRule apiTypesAreData =
      noClasses()
          .that()
          .resideInAPackage("dev.ebb.api..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.ebb.reconciler..",
              "dev.ebb.sagemaker..",
              "io.javaoperatorsdk..",
              "io.quarkus..",
              "software.amazon..");

  /** Only the AWS boundary talks to AWS SDK clients. */
  @ArchTest
  static final ArchRule awsOnlyAtTheBoundary =
      noClasses()
          .that()
          .resideOutsideOfPackages("dev.ebb.sagemaker..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("software.amazon.awssdk..");

  /**
   * What-if decides with the operator's own code, not a copy of its rules: no class of it builds a
   * scaling decision or reason (only {@link dev.ebb.scaling.ScalingEngine} does), and it knows
   * nothing of the reconcilers, the AWS boundary (but its pure compiler of a policy, {@link
   * dev.ebb.sagemaker.ScalingRecipes}, and that recipe as AWS stores it) or the running gateway.
   */
  @ArchTest
  static final ArchRule whatIfMakesNoDecisionOfItsOwn =
      noClasses()
          .that()
          .resideInAPackage("dev.ebb.whatif..")
          .should()
          .callConstructor(
              dev.ebb.scaling.Decision.class,
              int.class,
              int.class,
              java.util.List.class,
              dev.ebb.scaling.EngineState.class)
          .orShould()
          .dependOnClassesThat()
          .belongToAnyOf(dev.ebb.scaling.Reason.class, dev.ebb.scaling.Reason.Cause.class)
          .orShould()
          .dependOnClassesThat(
              com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage(
                      "dev.ebb.reconciler..",
                      "dev.ebb.sagemaker..",
                      "dev.ebb.gateway..",
                      "io.vertx..")
                  // The operator's pure compiler of a policy into AWS's objects: what-if runs it.
                  .and(
                      com.tngtech.archunit.base.DescribedPredicate.not(
                          com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf(
                              dev.ebb.sagemaker.ScalingRecipes.class,
                              dev.ebb.sagemaker.ScalingRecipeJson.class))));

  /** ... and does call it: the engine, the policy compiler, the wake rule, the load sample. */
  @ArchTest
  static final ArchRule whatIfRunsTheOperatorsEngine =
      com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
          .that()
          .haveFullyQualifiedName("dev.ebb.whatif.LocalPlane$Simulation")
          .should()
          .callMethod(
              dev.ebb.scaling.ScalingEngine.class,
              "evaluate",
              dev.ebb.scaling.ScalingRules.class,
              dev.ebb.scaling.Copies.class,
              dev.ebb.scaling.MetricSource.class,
              dev.ebb.scaling.EngineState.class)
          .andShould()
          .callMethod(
              dev.ebb.local.PolicyRules.class, "of", dev.ebb.api.v1alpha1.EffectivePolicy.class)
          .andShould()
          .callMethod(
              dev.ebb.local.WakeRule.class,
              "of",
              String.class,
              dev.ebb.api.v1alpha1.EffectivePolicy.class,
              java.util.Optional.class)
          .andShould()
          .callMethod(dev.ebb.local.CopyLoad.class, "of", long.class, long.class, int.class)
          .allowEmptyShould(false);

  /**
   * ... and on backend sagemaker runs the operator's compiler of a policy and AWS's behaviour as
   * the simulator runs it: no copy of either.
   */
  @ArchTest
  static final ArchRule whatIfRunsTheRecipeTheOperatorCreatesWithAwssBehaviour =
      classes()
          .that()
          .haveFullyQualifiedName("dev.ebb.whatif.SageMakerPlane$Simulation")
          .should()
          .callMethod(
              dev.ebb.whatif.aws.AlarmEvaluator.class,
              "evaluate",
              com.fasterxml.jackson.databind.JsonNode.class,
              dev.ebb.whatif.aws.MetricStore.class,
              java.time.Instant.class)
          .andShould()
          .callMethod(
              dev.ebb.whatif.aws.PolicyCapacity.class,
              "wanted",
              com.fasterxml.jackson.databind.node.ObjectNode.class,
              com.fasterxml.jackson.databind.JsonNode.class,
              java.util.List.class,
              int.class,
              dev.ebb.whatif.aws.Cooldown.class,
              java.time.Instant.class)
          .andShould()
          .callMethod(
              dev.ebb.whatif.aws.ScheduledActions.class,
              "firings",
              com.fasterxml.jackson.databind.JsonNode.class,
              java.time.Instant.class,
              java.time.Instant.class)
          .allowEmptyShould(false);

  @ArchTest
  static final ArchRule whatIfCompilesWithTheOperatorsRecipe =
      classes()
          .that()
          .haveFullyQualifiedName("dev.ebb.whatif.SageMakerScenario")
          .should()
          .callMethod(
              dev.ebb.sagemaker.ScalingRecipes.class,
              "of",
              dev.ebb.api.v1alpha1.EffectivePolicy.class,
              dev.ebb.sagemaker.ScalingRecipes.Target.class,
              String.class)
          .allowEmptyShould(false);

  /**
   * AWS's documented scaling behaviour is AWS's, not Ebb's: it depends on nothing of Ebb outside
   * itself (never the engine it is held against), only the JDK and Jackson.
   */
  @ArchTest
  static final ArchRule awsBehaviourIsNotEbbs =
      classes()
          .that()
          .resideInAPackage("dev.ebb.whatif.aws..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage("dev.ebb.whatif.aws..", "java..", "com.fasterxml.jackson..");

  /** Each kind's reconciler package stands alone; shared pieces live in dev.ebb.reconciler. */
  @ArchTest static final ArchRule endpointReconcilerStandsAlone = kindStandsAlone("endpoint");

  @ArchTest static final ArchRule componentReconcilerStandsAlone = kindStandsAlone("component");

  @ArchTest static final ArchRule policyReconcilerStandsAlone = kindStandsAlone("policy");

  private static ArchRule kindStandsAlone(String kind) {
    String[] others =
        java.util.stream.Stream.of("endpoint", "component", "policy")
            .filter(k -> !k.equals(kind))
            .map(k -> "dev.ebb.reconciler." + k + "..")
            .toArray(String[]::new);
    return noClasses()
        .that()
        .resideInAPackage("dev.ebb.reconciler." + kind + "..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(others);
  }
}
