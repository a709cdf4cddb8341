package dev.cairn.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CairnCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code cairn sandbox run --cdk-out}'s refusals: exit 2 and one line, never a stack trace. */
class SandboxRunCdkOutCommandTest {

  static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    CommandLine cl = CairnCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void refusedAppWithAnUnsupportedFeature_isRefusedNamingTheStackAndTheFeature() {
    Run r =
        run(
            "sandbox",
            "run",
            "--cdk-out",
            REPO.resolve("examples/refused-apps/aurora-dashboard/cdk.out").toString(),
            "--service",
            "aurora-dashboard",
            "--environments",
            "stage=111111111111,prod=222222222222");

    assertThat(r.exit()).isEqualTo(CairnCli.EXIT_USAGE);
    assertThat(r.err())
        .contains(
            "TEMPLATE_FEATURE_UNSUPPORTED",
            "Stage-AuroraStack",
            "AWS::Serverless-2016-10-31",
            "AWS::Serverless::Application")
        .doesNotContain("\tat ", "Exception");
  }

  @Test
  void cdkOutWithoutServiceOrEnvironments_isAUsageError() {
    Run r =
        run(
            "sandbox",
            "run",
            "--cdk-out",
            REPO.resolve("examples/hello-service/cdk.out").toString());

    assertThat(r.exit()).isEqualTo(CairnCli.EXIT_USAGE);
    assertThat(r.err()).contains("--cdk-out needs --service and --environments");
  }

  @Test
  void aScenarioOfTheExampleOnly_isAUsageErrorListingTheOnesThatPlay() {
    Run r =
        run(
            "sandbox",
            "run",
            "--cdk-out",
            REPO.resolve("examples/hello-service/cdk.out").toString(),
            "--service",
            "s",
            "--environments",
            "stage=111111111111,prod=222222222222",
            "--scenario",
            "audit-tamper");

    assertThat(r.exit()).isEqualTo(CairnCli.EXIT_USAGE);
    assertThat(r.err()).contains("audit-tamper", "stage-tests-fail", "prod-smoke-fails");
  }

  @Test
  void environmentsNotOfTheInstallation_areRefusedNamingTheInstallationsChain() {
    Run r =
        run(
            "sandbox",
            "run",
            "--cdk-out",
            REPO.resolve("examples/hello-service/cdk.out").toString(),
            "--service",
            "hello-service",
            "--environments",
            "dev=123456789012,prod=222222222222");

    assertThat(r.exit()).isEqualTo(CairnCli.EXIT_USAGE);
    assertThat(r.err())
        .contains("ENVIRONMENTS_MISMATCH", "stage=111111111111,prod=222222222222")
        .doesNotContain("\tat ");
  }
}
