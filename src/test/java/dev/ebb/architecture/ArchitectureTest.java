package dev.ebb.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Import rules that keep Ebb's layers honest. */
@AnalyzeClasses(packages = "dev.ebb", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /**
   * The policy engine is pure: JDK only, so it can be tested with a stepped clock and reused by
   * both backends. (It lands with local mode; the rule binds from its first class.)
   */
  @ArchTest
  static final ArchRule scalingEngineIsPureJava =
      noClasses()
          .that()
          .resideInAPackage("dev.ebb.scaling..")
          .should()
          .dependOnClassesThat()
          .resideOutsideOfPackages("java..", "dev.ebb.scaling..")
          .allowEmptyShould(true);

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

  /** Each kind's reconciler package stands alone; shared pieces live in dev.ebb.reconciler. */
  @ArchTest
  static final ArchRule reconcilerPackagesAreIndependent =
      noClasses()
          .that()
          .resideInAPackage("dev.ebb.reconciler.endpoint..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.ebb.reconciler.component..", "dev.ebb.reconciler.policy..");
}
