package dev.cairn.cli.override;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.CliIo;
import dev.cairn.cli.common.OutputFormat;
import dev.cairn.cli.publish.AwsOptions;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;

/** {@code cairn override submit}. */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = {
      "Submit a signed override request to the override Lambda and print its answer.",
      "Invokes the Lambda (RequestResponse) with a request from `cairn override create`; the",
      "answer is: outcome applied (with the execution it started, or the",
      "approvals counted) or refused (with a stable failure code: OVERRIDE_REPLAYED,",
      "OVERRIDE_EXPIRED, OVERRIDE_SIGNER_UNTRUSTED, BREAK_GLASS_DISABLED, ...).",
      "Every submission is audited, refused or not. To watch the whole flow locally, run",
      "`cairn sandbox run --scenario override-rollback` (and the other override scenarios)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:applied",
      "1:refused (the failure code says why)",
      "2:usage, I/O or invocation error"
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  cairn override submit --request rollback.json --function-name cairn-override",
      "  cairn override submit --request approve-bob.json --function-name cairn-override \\",
      "      --region us-east-1 --format json"
    })
public final class OverrideSubmitCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin AwsOptions aws = new AwsOptions();

  @Option(
      names = "--request",
      required = true,
      paramLabel = "FILE",
      description = "The signed request.")
  Path request;

  @Option(
      names = "--function-name",
      required = true,
      paramLabel = "F",
      description = "The override Lambda (name or ARN), e.g. cairn-override.")
  String functionName;

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "text or json. Default: ${DEFAULT-VALUE}.")
  OutputFormat format;

  @Override
  public Integer call() {
    byte[] document = CliIo.readBytes(request, CliIo.Input.OVERRIDE_REQUEST);
    JsonNode answer;
    try (LambdaClient lambda = aws.clients().configure(LambdaClient.builder()).build()) {
      var resp =
          lambda.invoke(
              r ->
                  r.functionName(functionName)
                      .invocationType(InvocationType.REQUEST_RESPONSE)
                      .payload(SdkBytes.fromByteArray(document)));
      if (resp.functionError() != null) {
        throw new CliIo.UsageException(
            "the override Lambda failed ("
                + resp.functionError()
                + "): "
                + resp.payload().asUtf8String());
      }
      answer = Json.parse(resp.payload().asByteArray());
    } catch (IOException e) {
      throw new CliIo.UsageException("the override Lambda answered with invalid JSON", e);
    }
    return print(answer);
  }

  int print(JsonNode answer) {
    var out = spec.commandLine().getOut();
    boolean applied = "applied".equals(answer.path("outcome").asText());
    if (format == OutputFormat.json) {
      out.println(Json.pretty(answer));
    } else if (applied) {
      out.printf(
          "APPLIED %s %s@%s %s%n",
          answer.path("action").asText(),
          answer.path("service").asText(),
          answer.path("commit_sha").asText(),
          answer.path("environment").asText(""));
      if (answer.path("execution_name").isTextual()) {
        out.printf("  started execution %s%n", answer.path("execution_name").asText());
      }
      if (answer.has("approvals")) {
        out.printf(
            "  approvals: %d of %d distinct operator keys%n",
            answer.path("approvals").path("distinct").asInt(),
            answer.path("approvals").path("required").asInt());
      }
    } else {
      out.printf(
          "REFUSED %s: %s%n  %s%n",
          answer.path("failure").asText("?"),
          answer.path("summary").asText(""),
          answer.path("detail").asText(""));
    }
    out.flush();
    return applied ? CairnCli.EXIT_OK : CairnCli.EXIT_FAILED;
  }
}
