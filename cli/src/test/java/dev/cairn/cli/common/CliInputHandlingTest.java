package dev.cairn.cli.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.cairn.cli.CairnCli;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile or mistaken input files (security review, "CLI input handling" in docs/threat-model.md):
 * a FIFO never hangs a command, a huge file never reaches the heap, an empty anchors file is never
 * a pass. Each is exit 2 with a message naming the file and the problem.
 */
class CliInputHandlingTest {

  private static final long THREE_GIB = 3L << 30;

  /** A FIFO read would block until a writer comes; every test of one runs under this bound. */
  private static final Duration NO_HANG = Duration.ofSeconds(20);

  @TempDir Path dir;

  private Path fifo(String name) throws Exception {
    Path p = dir.resolve(name);
    Process mk;
    try {
      mk = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      Assumptions.abort("mkfifo is not available: " + e.getMessage());
      throw e;
    }
    Assumptions.assumeTrue(
        mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo failed");
    return p;
  }

  private Path sparse(String name, long length) throws Exception {
    Path p = dir.resolve(name);
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.setLength(length);
    }
    return p;
  }

  private Path file(String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content);
  }

  private CliRunner.Result manifestVerify(Path trustPolicy, Path manifest) throws Exception {
    Files.createDirectories(dir.resolve("cdk.out"));
    return CliRunner.run(
        "manifest",
        "verify",
        "--cdk-out",
        dir.resolve("cdk.out").toString(),
        "--manifest",
        manifest.toString(),
        "--trust-policy",
        trustPolicy.toString());
  }

  // 1. Anything that is not a regular file is refused before it is opened.

  @Test
  void manifestVerify_whenTrustPolicyIsFifo_exitsTwoNotRegularFile() throws Exception {
    Path policy = fifo("policy.json");
    var r = assertTimeoutPreemptively(NO_HANG, () -> manifestVerify(policy, file("m.json", "{}")));
    assertThat(r.exit()).as(r.toString()).isEqualTo(CairnCli.EXIT_USAGE);
    assertThat(r.err()).contains("trust policy " + policy + " is not a regular file");
  }

  @Test
  void auditVerify_whenFileIsFifo_exitsTwoNotRegularFile() throws Exception {
    Path audit = fifo("audit.jsonl");
    var r =
        assertTimeoutPreemptively(
            NO_HANG, () -> CliRunner.run("audit", "verify", "--file", audit.toString()));
    assertThat(r.exit()).as(r.toString()).isEqualTo(CairnCli.EXIT_USAGE);
    assertThat(r.err()).contains("audit file " + audit + " is not a regular file");
  }

  @Test
  void auditVerify_whenAnchorsFileIsFifo_exitsTwoNotRegularFile() throws Exception {
    Path anchors = fifo("anchors.jsonl");
    Path audit = file("audit.jsonl", "");
    var r =
        assertTimeoutPreemptively(
            NO_HANG,
            () ->
                CliRunner.run(
                    "audit",
                    "verify",
                    "--file",
                    audit.toString(),
                    "--anchors-file",
                    anchors.toString()));
    assertThat(r.exit()).as(r.toString()).isEqualTo(CairnCli.EXIT_USAGE);
    assertThat(r.err()).contains("anchors file " + anchors + " is not a regular file");
  }

  @Test
  void manifestVerify_whenTrustPolicyIsDirectory_exitsTwoNotRegularFile() throws Exception {
    Path policy = Files.createDirectory(dir.resolve("policy.d"));
    var r = manifestVerify(policy, file("m.json", "{}"));
    assertThat(r.exit()).as(r.toString()).isEqualTo(CairnCli.EXIT_USAGE);
    assertThat(r.err()).contains("is not a regular file (a directory)");
  }

  // 2. A size limit per input kind, checked before reading (sparse files: nothing is written).

  @Test
  void manifestVerify_when3GibTrustPolicy_exitsTwoNamingTheLimit() throws Exception {
    Path policy = sparse("policy.json", THREE_GIB);
    var r = manifestVerify(policy, file("m.json", "{}"));
    assertThat(r.exit()).as(r.toString()).isEqualTo(CairnCli.EXIT_USAGE);
    assertThat(r.err())
        .contains("trust policy " + policy + " is larger than the 1.0 MiB limit")
        .contains("3.0 GiB");
  }

  @Test
  void overrideSubmit_when3GibRequest_exitsTwoNamingTheLimit() throws Exception {
    Path request = sparse("override.json", THREE_GIB);
    var r =
        CliRunner.run(
            "override",
            "submit",
            "--request",
            request.toString(),
            "--function-name",
            "cairn-override",
            "--region",
            "us-east-1");
    assertThat(r.exit()).as(r.toString()).isEqualTo(CairnCli.EXIT_USAGE);
    assertThat(r.err()).contains("override request " + request + " is larger than the 1.0 MiB");
  }

  @Test
  void auditVerify_when3GibAnchorsFile_exitsTwoNamingTheLimit() throws Exception {
    Path anchors = sparse("anchors.jsonl", THREE_GIB);
    var r =
        CliRunner.run(
            "audit",
            "verify",
            "--file",
            file("audit.jsonl", "").toString(),
            "--anchors-file",
            anchors.toString());
    assertThat(r.exit()).as(r.toString()).isEqualTo(CairnCli.EXIT_USAGE);
    assertThat(r.err()).contains("anchors file " + anchors + " is larger than the 64.0 MiB limit");
  }

  @Test
  void auditVerify_whenExportIsOneHugeLine_exitsTwoWithoutSlurpingIt() throws Exception {
    // The export is streamed (no file limit), but one line is bounded: 3 GiB of NUL, no newline.
    Path audit = sparse("audit.jsonl", THREE_GIB);
    var r = CliRunner.run("audit", "verify", "--file", audit.toString());
    assertThat(r.exit()).as(r.toString()).isEqualTo(CairnCli.EXIT_USAGE);
    assertThat(r.err()).contains("line 1 is longer than the 1.0 MiB limit");
  }

  // 3. An anchors file with no anchor is an input that cannot be checked: exit 2, never a pass.

  @Test
  void auditVerify_whenAnchorsFileEmpty_exitsTwoNeverPasses() throws Exception {
    Path anchors = file("anchors.jsonl", "");
    var r =
        CliRunner.run(
            "audit",
            "verify",
            "--file",
            file("audit.jsonl", "").toString(),
            "--anchors-file",
            anchors.toString());
    assertThat(r.exit()).as(r.toString()).isEqualTo(CairnCli.EXIT_USAGE);
    assertThat(r.err()).contains("anchors file " + anchors + " holds no anchor");
  }

  @Test
  void auditVerify_whenAnchorsFileBlankLinesOnly_exitsTwoNeverPasses() throws Exception {
    Path anchors = file("anchors.jsonl", "\n  \n\n");
    var r =
        CliRunner.run(
            "audit",
            "verify",
            "--file",
            file("audit.jsonl", "").toString(),
            "--anchors-file",
            anchors.toString());
    assertThat(r.exit()).as(r.toString()).isEqualTo(CairnCli.EXIT_USAGE);
    assertThat(r.err()).contains("holds no anchor");
  }

  @Test
  void auditVerifyHelp_saysAnEmptyAnchorsFileIsExitTwo() {
    var r = CliRunner.run("audit", "verify", "--help");
    assertThat(r.out().replaceAll("\\s+", " "))
        .contains("an anchors file or bucket with no anchor");
  }
}
