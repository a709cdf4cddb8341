package dev.cairn.core.finalize;

import dev.cairn.core.finalize.port.TestBuilds;
import dev.cairn.core.lifecycle.TestStatus;
import java.util.List;

/**
 * What the finalizer concludes about tests that were {@code test_running} when the execution ended,
 * from the builds the pipeline started for this deployment (lambdas/finalizer/README.md):
 *
 * <ol>
 *   <li>exactly one build, {@code SUCCEEDED} → {@code test_passed};
 *   <li>exactly one build, {@code FAILED} (the tests ran and failed) → {@code test_failed};
 *   <li>anything else is ambiguous and resolves to the safe side, {@code not_tested}: no build;
 *       more than one; a build still running (nobody will record its end); {@code FAULT}, {@code
 *       TIMED_OUT} or {@code STOPPED} (the tests did not finish).
 * </ol>
 */
public final class TestVerdict {

  private TestVerdict() {}

  public static TestStatus of(List<TestBuilds.TestBuild> builds) {
    if (builds.size() != 1) {
      return TestStatus.NOT_TESTED;
    }
    return switch (builds.get(0).status()) {
      case "SUCCEEDED" -> TestStatus.TEST_PASSED;
      case "FAILED" -> TestStatus.TEST_FAILED;
      default -> TestStatus.NOT_TESTED;
    };
  }
}
