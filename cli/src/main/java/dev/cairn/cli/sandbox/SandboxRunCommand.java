package dev.cairn.cli.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.CliIo;
import dev.cairn.cli.common.OutputFormat;
import dev.cairn.core.json.Json;
import dev.cairn.sandbox.Reuse;
import dev.cairn.sandbox.SandboxRun;
import dev.cairn.sandbox.Scenario;
import dev.cairn.sandbox.assembly.UserAssembly;
import dev.cairn.sandbox.assembly.UserAssemblyRefusedException;
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
      "With --cdk-out, your own cloud assembly takes the example's place: it is signed with a",
      "throw-away key, its assets are published to the environments' bootstrap buckets, and it is",
      "promoted through the environments in order; each deploys every stack of its account and",
      "region, nested assemblies included, in dependency order. Content the sandbox cannot run is",
      "refused before anything starts, naming the stack and the feature (exit 2). No Cairn",
      "checkout is needed: the jar carries the control plane and the example.",
      "",
      "--list-scenarios prints every scenario with the outcome it demonstrates."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the run completed (whatever the scenario's outcome) and IAM allowed every call",
      "1:the synthesized IAM policies deny a call the run made, or allow a negative control",
      "2:the sandbox itself failed, or --cdk-out names content it cannot run, or --reuse finds no"
          + " running `cairn sandbox up`"
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  cairn sandbox run",
      "  cairn sandbox run --scenario prod-smoke-fails --format json | jq .artifacts[-1].status",
      "  cairn sandbox run --reuse --scenario happy     # into a running `cairn sandbox up`",
      "  cairn sandbox run --cdk-out cdk.out --service my-service \\",
      "      --environments stage=111111111111,prod=222222222222 --format json | jq .deployed_stacks"
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
      names = "--verbose",
      description =
          "Also print the local services' own log lines (DynamoDB Local, sqlite4java, S3Proxy,"
              + " Jetty), which are hidden by default.")
  boolean verbose;

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
      description =
          "Where to look for an installed sandbox/iam-check first (default: the current directory"
              + " and its parents); without one, the evaluator the jar carries is installed with npm"
              + " on first use.")
  Path repo;

  @Option(
      names = "--cdk-out",
      paramLabel = "DIR",
      description = "Your own cloud assembly (what cdk synth wrote), instead of the example.")
  Path cdkOut;

  @Option(
      names = "--service",
      paramLabel = "NAME",
      description = "The service your assembly is published as (with --cdk-out).")
  String service;

  @Option(
      names = "--environments",
      paramLabel = "NAME=ACCOUNT,...",
      description =
          "The environments to promote through, in order (with --cdk-out): the sandbox"
              + " installation's, stage=111111111111,prod=222222222222.")
  String environments;

  @Option(
      names = "--reuse",
      description =
          "Write into the running `cairn sandbox up` named by AWS_ENDPOINT_URL_DYNAMODB and"
              + " AWS_ENDPOINT_URL_S3 (the lines it prints) instead of starting DynamoDB Local and"
              + " S3Proxy: runs accumulate one ledger and audit chain for `cairn dashboard`, `kpi`"
              + " and `evidence`. Each run publishes as its own service, sandbox-run-<scenario>.")
  boolean reuse;

  @Override
  public Integer call() throws Exception {
    if (verbose) {
      // Before any local service starts or anything logs: their configuration reads it then.
      dev.cairn.local.servers.LocalServicesLog.verbose();
    }
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
    Path root = repo != null ? repo : Path.of("").toAbsolutePath();
    SandboxRun.UserApp userApp = userApp(s);
    if (reuse && userApp != null) {
      throw new CliIo.UsageException(
          "--reuse runs the example service; it does not take --cdk-out");
    }
    Reuse running;
    try {
      running = reuse ? Reuse.fromEnvironment(System.getenv()) : null;
    } catch (Reuse.NotRunningException e) {
      throw new CliIo.UsageException(e.getMessage(), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintStream progress =
        format == OutputFormat.text ? new PrintStream(new WriterStream(out), true) : null;
    ObjectNode summary;
    try {
      summary = SandboxRun.run(new SandboxRun.Options(root, s, progress, userApp, running));
    } catch (Reuse.NotRunningException e) {
      throw new CliIo.UsageException(e.getMessage(), e);
    } catch (UserAssemblyRefusedException e) {
      throw new CliIo.UsageException("the sandbox cannot run " + cdkOut + ": " + e.getMessage(), e);
    }
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

  /** --cdk-out's options together, or null without --cdk-out. */
  private SandboxRun.UserApp userApp(Scenario s) {
    if (cdkOut == null) {
      if (service != null || environments != null) {
        throw new CliIo.UsageException("--service and --environments go with --cdk-out");
      }
      return null;
    }
    if (service == null || environments == null) {
      throw new CliIo.UsageException("--cdk-out needs --service and --environments");
    }
    if (!SandboxRun.cdkOutScenarios().contains(s)) {
      throw new CliIo.UsageException(
          "scenario "
              + s.wireName()
              + " plays on the example service; with --cdk-out use one of "
              + SandboxRun.cdkOutScenarios().stream().map(Scenario::wireName).toList());
    }
    if (!Files.isDirectory(cdkOut)) {
      throw new CliIo.UsageException("--cdk-out " + cdkOut + " is not a directory");
    }
    try {
      return new SandboxRun.UserApp(
          cdkOut.toAbsolutePath().normalize(),
          service,
          UserAssembly.parseEnvironments(environments));
    } catch (IllegalArgumentException e) {
      throw new CliIo.UsageException(e.getMessage(), e);
    }
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
    s.path("overhead")
        .fields()
        .forEachRemaining(
            e ->
                out.printf(
                    "Overhead over CloudFormation, %s: %.1f s of %.1f s (CloudFormation %.1f s,"
                        + " test build %.1f s, bake %.1f s); %d state transitions, %d Lambda"
                        + " invocations (deploy without the alarm watch: %d, %d)%n",
                    e.getKey(),
                    e.getValue().path("overhead_seconds").asDouble(),
                    e.getValue().path("duration_seconds").asDouble(),
                    e.getValue().path("cloudformation_seconds").asDouble(),
                    e.getValue().path("test_build_seconds").asDouble(),
                    e.getValue().path("bake_seconds").asDouble(),
                    e.getValue().path("state_transitions").asInt(),
                    e.getValue().path("lambda_invocations").asInt(),
                    e.getValue().path("deploy_state_transitions").asInt(),
                    e.getValue().path("deploy_lambda_invocations").asInt()));
    out.println("Change sets executed (deployed_stacks), in order:");
    s.path("deployed_stacks")
        .fields()
        .forEachRemaining(
            e -> {
              java.util.List<String> stacks = new java.util.ArrayList<>();
              e.getValue().forEach(x -> stacks.add(x.path("stack").asText()));
              out.printf(
                  "  %-6s %s%n", e.getKey(), stacks.isEmpty() ? "-" : String.join(" → ", stacks));
            });
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
