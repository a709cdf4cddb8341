package dev.cairn.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CairnCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SandboxUpCommandTest {

  @Test
  void up_startsBothServers_createsSpecNames_andPrintsExportLines() {
    CommandLine cl = CairnCli.commandLine();
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(new StringWriter()));
    int exit =
        cl.execute("sandbox", "up", "--dynamodb-port", "0", "--s3-port", "0", "--exit-when-ready");
    assertThat(exit).isZero();
    assertThat(out.toString())
        .containsPattern("(?m)^export AWS_ENDPOINT_URL_DYNAMODB=http://127\\.0\\.0\\.1:\\d+$")
        .containsPattern("(?m)^export AWS_ENDPOINT_URL_S3=http://127\\.0\\.0\\.1:\\d+$")
        .contains("cdk-artifact-metadata", "cdk-audit-log")
        .contains(
            "cdk-artifacts-candidate",
            "cdk-artifacts-release",
            "cdk-contexts",
            "audit-log-anchors",
            "cdk-artifact-metadata-exports")
        .doesNotContain("Initializing DynamoDB Local");
  }
}
