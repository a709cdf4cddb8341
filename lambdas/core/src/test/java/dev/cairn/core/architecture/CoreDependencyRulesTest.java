package dev.cairn.core.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.INTERFACES;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.cairn.core.pipeline.PipelineError;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ARCHITECTURE.md: {@code lambdas/core} depends on the JDK, Jackson and BouncyCastle only, never on
 * {@code software.amazon.*}; and time is injected (decision 7), so core never reads the wall clock
 * except through a {@link Clock} it was given.
 */
class CoreDependencyRulesTest {

  static JavaClasses core;

  @BeforeAll
  static void importCore() {
    core =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.cairn.core");
  }

  @Test
  void core_doesNotDependOnTheAwsSdk() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage("dev.cairn.core..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("software.amazon..", "com.amazonaws..");
    rule.check(core);
  }

  @Test
  void core_readsTimeOnlyThroughAnInjectedClock() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage("dev.cairn.core..")
            .should()
            .callMethod(System.class, "currentTimeMillis")
            .orShould()
            .callMethod(Instant.class, "now")
            .orShould()
            .callMethod(LocalDate.class, "now")
            .orShould()
            .callMethod(LocalDateTime.class, "now")
            .orShould()
            .callMethod(OffsetDateTime.class, "now")
            .orShould()
            .callMethod(ZonedDateTime.class, "now")
            .orShould()
            .callMethod(Clock.class, "systemUTC")
            .orShould()
            .callMethod(Clock.class, "systemDefaultZone")
            .because("ARCHITECTURE decision 7: time is injected");
    rule.check(core);
  }

  /**
   * Each top-level package of core is one slice, and no two depend on each other in a circle: a
   * reader can take the packages in dependency order (failure, lifecycle, audit, ledger, manifest,
   * verify, pipeline, deployer, …) without holding a loop in mind.
   */
  @Test
  void core_packagesAreFreeOfCycles() {
    slices().matching("dev.cairn.core.(*)..").should().beFreeOfCycles().check(core);
  }

  /**
   * The failure catalogues are the bottom of core: every gate names its codes from there, and the
   * blocker-class mapping reads all of them, so they may depend on nothing else in core.
   */
  @Test
  void failureCatalogues_dependOnNothingElseInCore() {
    noClasses()
        .that()
        .resideInAPackage("dev.cairn.core.failure..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("dev.cairn.core..")
                .and(not(resideInAPackage("dev.cairn.core.failure.."))))
        .check(core);
  }

  /**
   * Ports stay ports: an interface in a {@code port} folder ({@code pipeline.port}, {@code
   * ledger.port}, ...) speaks in values (records, enums) and other ports' interfaces, never in a
   * use case, a service or a class with behaviour, so an adapter that implements one depends on no
   * logic of core's. Two kinds of class are values too: the exception a port's contract names
   * ({@code IntegrityAlerts} reports a {@code RecordUnauthenticatedException}), and the builder a
   * record value is written with ({@code DeploymentLedger.annotate} takes {@code
   * ArtifactRecord.Builder}).
   */
  @Test
  void ports_dependOnlyOnValuesAndOtherPortsInCore() {
    noClasses()
        .that()
        .resideInAPackage("dev.cairn.core..port..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("dev.cairn.core..")
                .and(not(resideInAPackage("dev.cairn.core..port..")))
                .and(not(assignableTo(Record.class)))
                .and(not(assignableTo(Enum.class)))
                .and(not(assignableTo(Throwable.class)))
                .and(not(INTERFACES))
                .and(not(BUILDER_OF_A_RECORD)))
        .check(core);
  }

  /**
   * A port folder holds what an adapter implements and nothing else: interfaces, and the values
   * they name (records and enums, nested in the port that names them or beside it). A constant a
   * port declares as an anonymous class ({@code ApprovalStore.NONE}, the store that never holds an
   * approval) is part of that interface. A helper, a service or a use case sits beside the folder.
   * The other half, that every interface an adapter implements sits in a port folder, needs the
   * adapters' classes, which core's test class path does not hold: cli's {@code PortsByFolderTest}.
   */
  @Test
  void portFolders_holdOnlyInterfacesAndTheValuesTheyName() {
    classes()
        .that()
        .resideInAPackage("dev.cairn.core..port..")
        .and(not(CONSTANT_OF_AN_INTERFACE))
        .should()
        .beInterfaces()
        .orShould()
        .beAssignableTo(Record.class)
        .orShould()
        .beAssignableTo(Enum.class)
        .because("docs/decisions/2026-12-07-ports-by-folder.md")
        .check(core);
  }

  /** {@code Foo.Builder}, a class nested in a record {@code Foo}. */
  private static final DescribedPredicate<JavaClass> BUILDER_OF_A_RECORD =
      DescribedPredicate.describe(
          "the builder of a record",
          c ->
              c.getSimpleName().equals("Builder")
                  && c.getEnclosingClass().map(e -> e.isAssignableTo(Record.class)).orElse(false));

  /** An anonymous class declared inside an interface: a constant such as {@code NONE}. */
  private static final DescribedPredicate<JavaClass> CONSTANT_OF_AN_INTERFACE =
      DescribedPredicate.describe(
          "an anonymous constant of an interface",
          c ->
              c.isAnonymousClass()
                  && c.getEnclosingClass().map(JavaClass::isInterface).orElse(false));

  /**
   * The production ASL's {@code Catch} and {@code Retry} match the deployer's errors by fully
   * qualified class name ({@code dev.cairn.core.pipeline.DriftDetected}, …): they do not move.
   */
  @Test
  void pipelineErrors_stayInThePackageTheStateMachineNames() {
    classes()
        .that()
        .areAssignableTo(PipelineError.class)
        .should()
        .resideInAPackage("dev.cairn.core.pipeline")
        .check(core);
  }
}
