package dev.cairn.core.finalize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.finalize.port.TestBuilds;
import dev.cairn.core.lifecycle.TestStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestVerdictTest {

  static TestBuilds.TestBuild build(String status) {
    return new TestBuilds.TestBuild("p:" + status, status);
  }

  @Test
  void oneSucceededBuild_isTestPassed() {
    assertThat(TestVerdict.of(List.of(build("SUCCEEDED")))).isEqualTo(TestStatus.TEST_PASSED);
  }

  @Test
  void oneFailedBuild_isTestFailed() {
    assertThat(TestVerdict.of(List.of(build("FAILED")))).isEqualTo(TestStatus.TEST_FAILED);
  }

  @Test
  void noBuild_isNotTested() {
    assertThat(TestVerdict.of(List.of())).isEqualTo(TestStatus.NOT_TESTED);
  }

  @Test
  void unfinishedOrInterruptedBuild_isNotTested() {
    for (String s : List.of("IN_PROGRESS", "STOPPED", "FAULT", "TIMED_OUT")) {
      assertThat(TestVerdict.of(List.of(build(s)))).as(s).isEqualTo(TestStatus.NOT_TESTED);
    }
  }

  @Test
  void twoBuilds_evenBothSucceeded_isNotTested() {
    assertThat(TestVerdict.of(List.of(build("SUCCEEDED"), build("SUCCEEDED"))))
        .isEqualTo(TestStatus.NOT_TESTED);
  }
}
