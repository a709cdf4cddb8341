package dev.cairn.cli.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.common.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckNotCommittedCommandTest {

  @TempDir Path repo;

  @BeforeEach
  void init() throws Exception {
    git("init", "-q");
    git("config", "user.email", "test@example.com");
    git("config", "user.name", "test");
    Files.writeString(repo.resolve("README.md"), "hello\n");
    git("add", "README.md");
    git("commit", "-q", "-m", "init");
  }

  @Test
  void check_whenNoContextTracked_exits0() {
    CliRunner.Result r = CliRunner.run("context", "check-not-committed", "--repo", repo.toString());
    assertThat(r.exit()).as(r.toString()).isZero();
  }

  @Test
  void check_whenContextOnlyPresentButIgnored_exits0() throws Exception {
    Files.writeString(repo.resolve(".gitignore"), ".cdk.context.json\n");
    Files.writeString(repo.resolve(".cdk.context.json"), "{}");
    CliRunner.Result r = CliRunner.run("context", "check-not-committed", "--repo", repo.toString());
    assertThat(r.exit()).as(r.toString()).isZero();
  }

  @Test
  void check_whenDotContextCommitted_exits1AndSaysWhy() throws Exception {
    Files.writeString(repo.resolve(".cdk.context.json"), "{}");
    git("add", ".cdk.context.json");
    git("commit", "-q", "-m", "oops");
    CliRunner.Result r = CliRunner.run("context", "check-not-committed", "--repo", repo.toString());
    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    assertThat(r.err())
        .contains(".cdk.context.json")
        .contains("blessed")
        .contains("git rm --cached");
  }

  @Test
  void check_whenCdkContextStagedInASubdirectory_exits1() throws Exception {
    Files.createDirectories(repo.resolve("services/api"));
    Files.writeString(repo.resolve("services/api/cdk.context.json"), "{}");
    git("add", "services/api/cdk.context.json");
    CliRunner.Result r = CliRunner.run("context", "check-not-committed", "--repo", repo.toString());
    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).contains("services/api/cdk.context.json");
  }

  @Test
  void check_whenNotAGitRepository_exits2(@TempDir Path plain) {
    CliRunner.Result r =
        CliRunner.run("context", "check-not-committed", "--repo", plain.toString());
    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
  }

  @Test
  void theRepositoryItself_doesNotTrackAContextFile() {
    CliRunner.Result r = CliRunner.run("context", "check-not-committed", "--repo", "..");
    assertThat(r.exit()).as(r.toString()).isZero();
  }

  private void git(String... args) throws Exception {
    String[] cmd = new String[args.length + 3];
    cmd[0] = "git";
    cmd[1] = "-C";
    cmd[2] = repo.toString();
    System.arraycopy(args, 0, cmd, 3, args.length);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(String.join(" ", cmd) + "\n" + out).isZero();
  }
}
