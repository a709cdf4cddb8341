package dev.cairn.cli.status;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.cairn.aws.client.AwsClients;
import dev.cairn.aws.ledger.DynamoDbDeploymentLedger;
import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.OutputFormat;
import dev.cairn.cli.publish.AwsOptions;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.EnvironmentState;
import dev.cairn.core.lifecycle.ArtifactKey;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@code cairn status}. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show a service's artifacts from the ledger, with each environment's state.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:found", "1:no such artifact", "2:usage or I/O error"},
    footerHeading = "%nExamples:%n",
    footer = {
      "  cairn status --service orders",
      "  cairn status --service orders --commit 0123abc... --format json | jq .environment_states"
    })
public final class StatusCommand implements Callable<Integer> {

  /** Oldest first; a record without build_time before all of them. */
  private static final Comparator<ArtifactRecord> BY_BUILD_TIME =
      Comparator.comparing(
          ArtifactRecord::buildTime, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()));

  @Spec CommandSpec spec;

  @Mixin AwsOptions aws;

  @Option(names = "--service", required = true, description = "Service name.")
  String service;

  @Option(
      names = "--commit",
      paramLabel = "SHA",
      description = "One commit (default: every commit of the service, newest build first).")
  String commit;

  @Option(
      names = "--table",
      paramLabel = "T",
      defaultValue = "cdk-artifact-metadata",
      description = "Ledger table. Default: ${DEFAULT-VALUE}.")
  String table;

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "text or json. Default: ${DEFAULT-VALUE}.")
  OutputFormat format;

  @picocli.CommandLine.Mixin dev.cairn.cli.publish.RecordMacOptions mac;

  /** The stored records as they are, MACs not checked (the caller says so). */
  private List<ArtifactRecord> unchecked(DynamoDbClient dynamoDb) {
    List<ArtifactRecord> out = new ArrayList<>();
    if (commit != null) {
      var item =
          dynamoDb
              .getItem(
                  r ->
                      r.tableName(table)
                          .key(
                              dev.cairn.aws.ledger.ArtifactItems.key(
                                  new ArtifactKey(service, commit)))
                          .consistentRead(true))
              .item();
      if (item != null && !item.isEmpty()) {
        out.add(dev.cairn.aws.ledger.ArtifactItems.fromItem(item));
      }
      return out;
    }
    dynamoDb
        .queryPaginator(
            r ->
                r.tableName(table)
                    .keyConditionExpression("service = :s")
                    .expressionAttributeValues(
                        java.util.Map.of(
                            ":s",
                            software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                                service)))
                    .consistentRead(true))
        .items()
        .forEach(i -> out.add(dev.cairn.aws.ledger.ArtifactItems.fromItem(i)));
    return out;
  }

  @Option(
      names = "--watch",
      description =
          "Follow the pipeline: print each state of the service's executions as it completes (the"
              + " timeline `cairn sandbox run` prints, read from Step Functions), until every"
              + " environment is deployed (exit 0) or one failed (exit 1), or Ctrl-C.")
  boolean watch;

  @Option(
      names = "--state-machine",
      paramLabel = "NAME|ARN",
      defaultValue = "DeployArtifactPipeline",
      description = "The pipeline's state machine, for --watch. Default: ${DEFAULT-VALUE}.")
  String stateMachine;

  @Option(
      names = "--interval",
      paramLabel = "SECONDS",
      defaultValue = "1",
      description = "How often --watch polls. Default: ${DEFAULT-VALUE}.")
  double interval;

  /** The records to show, MACs checked when a key was given. */
  private List<ArtifactRecord> read(AwsClients clients, boolean noteUnchecked) {
    try (DynamoDbClient dynamoDb = clients.dynamoDb()) {
      java.util.Optional<dev.cairn.core.ledger.ItemMacs> macs = mac.macs(clients);
      if (macs.isEmpty()) {
        if (noteUnchecked) {
          spec.commandLine()
              .getErr()
              .println(
                  "note: record MACs not checked (no --mac-key); the records are shown as stored");
        }
        return unchecked(dynamoDb);
      }
      // The CLI reports a refused record on stderr and in its exit code; it writes nothing.
      DynamoDbDeploymentLedger ledger =
          new DynamoDbDeploymentLedger(
              dynamoDb, table, "unused", Clock.systemUTC(), macs.get(), refused -> {});
      return commit == null
          ? new ArrayList<>(ledger.findByService(service))
          : new ArrayList<>(
              ledger.find(new ArtifactKey(service, commit)).map(List::of).orElse(List.of()));
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    AwsClients clients = aws.clients();
    if (watch) {
      return watch(clients);
    }
    List<ArtifactRecord> records;
    try {
      records = read(clients, true);
    } catch (dev.cairn.core.ledger.RecordUnauthenticatedException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return CairnCli.EXIT_FAILED;
    }
    return show(records);
  }

  /**
   * Polls Step Functions and the ledger until the newest artifact's last environment is deployed or
   * has failed, printing the timeline as it goes, then the status as without --watch.
   */
  private int watch(AwsClients clients) throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    java.io.PrintStream timeline =
        new java.io.PrintStream(
            new java.io.OutputStream() {
              @Override
              public void write(int b) {
                out.write(b);
              }

              @Override
              public void write(byte[] b, int off, int len) {
                out.write(new String(b, off, len, java.nio.charset.StandardCharsets.UTF_8));
              }

              @Override
              public void flush() {
                out.flush();
              }
            },
            true,
            java.nio.charset.StandardCharsets.UTF_8);
    try (software.amazon.awssdk.services.sfn.SfnClient sfn =
        clients.configure(software.amazon.awssdk.services.sfn.SfnClient.builder()).build()) {
      StatusWatch w = new StatusWatch(sfn, stateMachine, service, commit, timeline);
      boolean noted = false;
      while (true) {
        boolean running = w.poll();
        List<ArtifactRecord> records;
        try {
          records = read(clients, !noted);
        } catch (dev.cairn.core.ledger.RecordUnauthenticatedException e) {
          spec.commandLine().getErr().println(e.getMessage());
          return CairnCli.EXIT_FAILED;
        }
        noted = true;
        java.util.Optional<Boolean> done = finished(records);
        // Settled in the ledger and no execution of ours still running: its last states (the
        // bake, the outcome) are in the timeline too.
        if (done.isPresent() && (!running || !done.get())) {
          w.poll();
          timeline.flush();
          int shown = show(records);
          return done.get() && shown == CairnCli.EXIT_OK ? CairnCli.EXIT_OK : CairnCli.EXIT_FAILED;
        }
        Thread.sleep((long) (interval * 1000));
      }
    }
  }

  /**
   * Whether the newest artifact is settled: deployed in every environment (true), or failed or
   * rolled back in one (false); empty while it is still on its way.
   */
  private static java.util.Optional<Boolean> finished(List<ArtifactRecord> records) {
    java.util.Optional<ArtifactRecord> newest = records.stream().max(BY_BUILD_TIME);
    if (newest.isEmpty() || newest.get().environmentStates().isEmpty()) {
      return java.util.Optional.empty();
    }
    if (newest.get().status() == dev.cairn.core.lifecycle.ArtifactStatus.REJECTED) {
      return java.util.Optional.of(false);
    }
    boolean allDeployed = true;
    for (EnvironmentState s : newest.get().environmentStates().values()) {
      switch (s.status()) {
        case FAILED, ROLLBACK_SUCCEEDED, ROLLBACK_FAILED -> {
          return java.util.Optional.of(false);
        }
        // Deployed and tested (for prod: baked too); until then the environment is on its way.
        case DEPLOYED ->
            allDeployed &= s.testStatus() == dev.cairn.core.lifecycle.TestStatus.TEST_PASSED;
        default -> allDeployed = false;
      }
    }
    return allDeployed ? java.util.Optional.of(true) : java.util.Optional.empty();
  }

  private int show(List<ArtifactRecord> records) {
    PrintWriter out = spec.commandLine().getOut();
    records.sort(BY_BUILD_TIME.reversed());
    if (records.isEmpty()) {
      spec.commandLine()
          .getErr()
          .println("no artifact recorded for " + service + (commit == null ? "" : " @ " + commit));
      if (format == OutputFormat.json) {
        out.println(commit == null ? "[]" : "null");
        out.flush();
      }
      return CairnCli.EXIT_FAILED;
    }
    if (format == OutputFormat.json) {
      if (commit != null) {
        out.println(Json.pretty(records.get(0)));
      } else {
        ArrayNode a = Json.mapper().createArrayNode();
        records.forEach(r -> a.add(Json.mapper().valueToTree(r)));
        out.println(Json.pretty(a));
      }
      out.flush();
      return CairnCli.EXIT_OK;
    }
    for (ArtifactRecord r : records) {
      out.printf("%s @ %s%n", r.service(), r.commitSha());
      out.printf(
          "  status %-18s version %-4d built %s  sha256 %s%n",
          r.status(), r.version(), r.buildTime(), abbreviate(r.artifactSha256()));
      if (r.lastKnownGoodCommit() != null || r.globalHealthStatus() != null) {
        out.printf(
            "  last_known_good_commit %s  global_health_status %s%n",
            r.lastKnownGoodCommit(), r.globalHealthStatus());
      }
      if (r.executionId() != null) {
        out.printf(
            "  execution %s %s (started %s)%n",
            r.executionStatus(), r.executionId(), r.executionStartedAt());
      }
      out.printf(
          "  %-12s %-20s %-13s %-11s %-26s %s%n",
          "ENVIRONMENT",
          "STATUS",
          "TEST_STATUS",
          "REGION",
          "DEPLOY_STARTED_AT",
          "DEPLOY_COMPLETED_AT");
      for (Map.Entry<String, EnvironmentState> e : r.environmentStates().entrySet()) {
        EnvironmentState s = e.getValue();
        out.printf(
            "  %-12s %-20s %-13s %-11s %-26s %s%n",
            e.getKey(),
            s.status(),
            s.testStatus(),
            dash(s.region()),
            dash(s.deployStartedAt()),
            dash(s.deployCompletedAt()));
      }
      if (r.sweepDueAt() != null) {
        out.printf(
            "  sweep due at %s (%s)%n",
            java.time.Instant.ofEpochSecond(r.sweepDueAt()), r.sweepPartition());
      }
      out.println();
    }
    out.flush();
    return CairnCli.EXIT_OK;
  }

  private static String dash(Object s) {
    return s == null ? "-" : s.toString();
  }

  private static String abbreviate(String s) {
    return s == null ? "-" : s.length() > 12 ? s.substring(0, 12) + "…" : s;
  }
}
