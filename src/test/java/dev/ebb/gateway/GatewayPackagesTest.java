package dev.ebb.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The gateway's folder shows its chain: a route table over one package per stage (resolve, access,
 * dispatch) and what they stand on (copies, upstream, async, peers, errors, meters). These rules
 * keep the arrows one way.
 */
@AnalyzeClasses(packages = "dev.ebb.gateway", importOptions = ImportOption.DoNotIncludeTests.class)
class GatewayPackagesTest {
  /** No stage reaches back into a stage that uses it. */
  @ArchTest
  static final ArchRule stagesAreFreeOfCycles =
      slices().matching("dev.ebb.gateway.(*)..").should().beFreeOfCycles();

  /** Only the route table knows every stage: no sub-package uses the gateway's root package. */
  @ArchTest
  static final ArchRule stagesDoNotUseTheRouteTable =
      noClasses()
          .that()
          .resideInAPackage("dev.ebb.gateway.*..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.ebb.gateway");

  /** The gateway reads Kubernetes objects and SageMaker names, never the reconcilers. */
  @ArchTest
  static final ArchRule gatewayDoesNotUseTheReconcilers =
      noClasses()
          .that()
          .resideInAPackage("dev.ebb.gateway..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.ebb.reconciler..");

  /** Errors and meters are leaves every stage may use. */
  @ArchTest
  static final ArchRule errorsAndMetersAreLeaves =
      noClasses()
          .that()
          .resideInAnyPackage("dev.ebb.gateway.errors..", "dev.ebb.gateway.meters..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.ebb.gateway.resolve..",
              "dev.ebb.gateway.access..",
              "dev.ebb.gateway.dispatch..",
              "dev.ebb.gateway.copies..",
              "dev.ebb.gateway.upstream..",
              "dev.ebb.gateway.async..",
              "dev.ebb.gateway.peers..");
}
