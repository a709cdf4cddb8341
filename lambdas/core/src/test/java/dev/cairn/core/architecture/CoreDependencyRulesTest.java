package dev.cairn.core.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
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
}
