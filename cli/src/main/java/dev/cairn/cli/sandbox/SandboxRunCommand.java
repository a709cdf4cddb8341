package dev.cairn.cli.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.CliIo;
import dev.cairn.cli.common.OutputFormat;
import dev.cairn.core.json.Json;
import dev.cairn.sandbox.SandboxRun;
import dev.cairn.sandbox.Scenario;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cairn sandbox run}: the main job. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run Cairn's synthesized control plane on this machine, for one scenario.",
      "The state machine, functions, rules, schedules, alarms and IAM policies that cdk synth produces for the sandbox",
      "installation, on DynamoDB Local and S3Proxy in-process and emulators for CloudFormation,",
      "STS, SSM, CodeBuild, CloudWatch, EventBridge, SNS and Step Functions. The example service",
      "is published as CI would publish it; the synthesized S3 rules start the pipeline through",
      "stage and prod. Every AWS call is then checked against the synthesized IAM policies by an",
      "independent evaluator, and every synthesized alarm against the metrics the run emitted.",
      "Time is virtual: waits and bakes take no wall time.",
      "",
      "--list-scenarios prints every scenario with the outcome it demonstrates."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the run completed (whatever the scenario's outcome) and IAM allowed every call",
      "1:the synthesized IAM policies deny a call the run made, or allow a negative control",
      "2:the sandbox itself failed"
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  cairn sandbox run",
      "  cairn sandbox run --scenario prod-smoke-fails --format json | jq .artifacts[-1].status"
    })
public final class SandboxRunCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--scenario",
      defaultValue = "happy",
      completionCandidates = ScenarioNames.class,
      description = "One of: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
  String scenario;

  @Option(
      names = "--list-scenarios",
      description = "List the scenarios and what each demonstrates, then exit.")
  boolean listScenarios;

  /** The scenario names, for --help. */
  static final class ScenarioNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return Scenario.names().iterator();
    }
  }

  @Option(
      names = "--format",
      defaultValue = "text",
      description =
          "text (live progress and a summary) or json (one object on stdout). Default: ${DEFAULT-VALUE}.")
  OutputFormat format;

  @Option(
      names = "--repo",
      description = "The Cairn checkout (default: found upwards from the current directory).")
  Path repo;

  @Override
  public Integer call() throws Exception {
    if (listScenarios) {
      for (Scenario each : Scenario.values()) {
        spec.commandLine().getOut().printf("%-26s %s%n", each.wireName(), each.description());
      }
      spec.commandLine().getOut().flush();
      return CairnCli.EXIT_OK;
    }
    Scenario s;
    try {
      s = Scenario.of(scenario);
    } catch (IllegalArgumentException e) {
      throw new CliIo.UsageException(e.getMessage(), e);
    }
    Path root = repo != null ? repo : findRepo(Path.of("").toAbsolutePath());
    PrintWriter out = spec.commandLine().getOut();
    PrintStream progress =
        format == OutputFormat.text ? new PrintStream(new WriterStream(out), true) : null;
    ObjectNode summary = SandboxRun.run(new SandboxRun.Options(root, s, progress));
    if (format == OutputFormat.json) {
      out.println(Json.compact(summary));
    } else {
      printSummary(out, summary);
    }
    out.flush();
    boolean iamClean =
        summary.at("/iam/denied").isEmpty()
            && summary.at("/iam/negative_controls/allowed_by_mistake").isEmpty();
    return iamClean ? CairnCli.EXIT_OK : CairnCli.EXIT_FAILED;
  }

  static Path findRepo(Path from) {
    for (Path p = from; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("statemachines/deploy-artifact-pipeline.asl.json"))) {
        return p;
      }
    }
    throw new CliIo.UsageException(
        "not inside a Cairn checkout (no statemachines/deploy-artifact-pipeline.asl.json above "
            + from
            + "); pass --repo");
  }

  private static void printSummary(PrintWriter out, ObjectNode s) {
    out.println();
    out.printf(
        "Scenario %s finished in %d ms%n",
        s.get("scenario").asText(), s.get("elapsed_ms").asLong());
    out.println("Artifacts (the ledger, cdk-artifact-metadata):");
    for (JsonNode a : s.get("artifacts")) {
      out.printf(
          "  %s@%s  status=%s%n",
          a.path("service").asText(),
          a.path("commit_sha").asText().substring(0, 12),
          a.path("status").asText());
      a.path("environment_states")
          .fields()
          .forEachRemaining(
              e ->
                  out.printf(
                      "    %-6s %-20s %s%n",
                      e.getKey(),
                      e.getValue().path("status").asText(),
                      e.getValue().path("test_status").asText()));
      if (a.hasNonNull("last_known_good_commit")) {
        out.printf("    last_known_good_commit %s%n", a.path("last_known_good_commit").asText());
      }
    }
    out.print("Events: ");
    out.println(s.get("events").toString());
    out.print("CloudFormation calls: ");
    out.println(s.get("cloudformation_calls").toString());
    out.println(auditLine(s.get("audit")));
  }

  /** The audit section of the summary in one line: the same fields the JSON carries. */
  static String auditLine(JsonNode audit) {
    StringBuilder line =
        new StringBuilder(
            String.format(
                "Audit chain: %d entries, head %s (sequence %d), ",
                audit.path("entries").asLong(),
                audit.path("head_hash").asText(),
                audit.path("head_sequence").asLong()));
    if (audit.path("verified").asBoolean()) {
      line.append("verified against ")
          .append(audit.path("anchors_checked").asInt())
          .append(" anchor(s)");
      return line.toString();
    }
    if (audit.has("first_bad_sequence")) {
      line.append("BROKEN at sequence ")
          .append(audit.path("first_bad_sequence").asLong())
          .append(" (")
          .append(audit.path("code").asText())
          .append(")");
    } else {
      line.append("the chain holds");
    }
    JsonNode anchor = audit.path("anchor");
    if (anchor.isObject()) {
      line.append("; anchor ")
          .append(anchor.path("key").asText())
          .append(" disagrees (")
          .append(anchor.path("code").asText())
          .append(")");
    }
    return line.toString();
  }

  /** Lets progress lines share the command's writer (and its tests' capture). */
  private static final class WriterStream extends java.io.OutputStream {
    private final PrintWriter w;
    private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

    WriterStream(PrintWriter w) {
      this.w = w;
    }

    @Override
    public void write(int b) {
      line.write(b);
      if (b == '\n') {
        flush();
      }
    }

    @Override
    public void flush() {
      w.print(line.toString(java.nio.charset.StandardCharsets.UTF_8));
      w.flush();
      line.reset();
    }
  }
}
