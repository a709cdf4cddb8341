package dev.cairn.cli.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.asl.ExecutionListener;
import dev.cairn.core.integrity.ArtifactLayout;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * Follows a service's pipeline executions in Step Functions ({@code ListExecutions}, {@code
 * DescribeExecution}, {@code GetExecutionHistory}) and prints each new history event as the
 * timeline line {@code cairn sandbox run} prints for it. Works the same against AWS and {@code
 * cairn sandbox up}.
 */
final class StatusWatch {

  private final SfnClient sfn;
  private final String stateMachineArn;
  private final String service;
  private final String commit;
  private final ExecutionListener timeline;
  private final Map<String, Long> printedUpTo = new HashMap<>();
  private final Map<String, Boolean> ours = new HashMap<>();
  private final Map<String, Instant> entered = new HashMap<>();

  StatusWatch(SfnClient sfn, String stateMachine, String service, String commit, PrintStream out) {
    this.sfn = sfn;
    this.stateMachineArn = resolve(sfn, stateMachine);
    this.service = service;
    this.commit = commit;
    this.timeline =
        new dev.cairn.asl.ExecutionTimeline(out, dev.cairn.core.pipeline.ExecutionLabel::of);
  }

  /** A state machine ARN as given, or the ARN of the one named {@code nameOrArn}. */
  private static String resolve(SfnClient sfn, String nameOrArn) {
    if (nameOrArn.startsWith("arn:")) {
      return nameOrArn;
    }
    return sfn.listStateMachinesPaginator(r -> {}).stateMachines().stream()
        .filter(m -> m.name().equals(nameOrArn))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no state machine named " + nameOrArn))
        .stateMachineArn();
  }

  /**
   * Prints what happened since the last call, oldest execution first; true while one of this
   * artifact's executions is still running (its last events are yet to come).
   */
  boolean poll() {
    boolean running = false;
    List<ExecutionListItem> executions =
        sfn.listExecutionsPaginator(r -> r.stateMachineArn(stateMachineArn)).executions().stream()
            .sorted(Comparator.comparing(ExecutionListItem::startDate))
            .toList();
    for (ExecutionListItem e : executions) {
      if (!ours.computeIfAbsent(e.executionArn(), this::isOurs)) {
        continue;
      }
      long upTo = printedUpTo.getOrDefault(e.executionArn(), 0L);
      for (HistoryEvent h :
          sfn.getExecutionHistoryPaginator(r -> r.executionArn(e.executionArn())).events()) {
        if (h.id() > upTo) {
          replay(h);
          upTo = h.id();
        }
      }
      printedUpTo.put(e.executionArn(), upTo);
      running |= e.status() == software.amazon.awssdk.services.sfn.model.ExecutionStatus.RUNNING;
    }
    return running;
  }

  /** Whether the execution's input names this service (and commit, when one was given). */
  private boolean isOurs(String executionArn) {
    JsonNode input;
    try {
      input = Json.parse(sfn.describeExecution(r -> r.executionArn(executionArn)).input());
    } catch (IOException e) {
      return false;
    }
    String[] sc =
        input.has("service")
            ? new String[] {input.path("service").asText(), input.path("commit_sha").asText()}
            : ArtifactLayout.serviceAndCommit(input.path("manifest_key").asText(null))
                .orElse(new String[] {"", ""});
    return sc[0].equals(service) && (commit == null || sc[1].equals(commit));
  }

  /** One event as the executor's listener saw it: state completions from enter/exit pairs. */
  private void replay(HistoryEvent h) {
    String type = h.typeAsString();
    ObjectNode details = Json.object();
    if (h.executionStartedEventDetails() != null) {
      details.put("input", h.executionStartedEventDetails().input());
    }
    if (h.executionFailedEventDetails() != null) {
      details.put("error", h.executionFailedEventDetails().error());
      details.put("cause", h.executionFailedEventDetails().cause());
    }
    if (type.endsWith("StateEntered")) {
      entered.put(h.stateEnteredEventDetails().name(), h.timestamp());
    }
    if (type.endsWith("StateExited")) {
      String name = h.stateExitedEventDetails().name();
      details.put("name", name);
      Instant in = entered.getOrDefault(name, h.timestamp());
      timeline.onStateCompleted(
          name,
          type.substring(0, type.length() - "StateExited".length()),
          Duration.between(in, h.timestamp()));
    }
    timeline.onEvent(
        new dev.cairn.asl.HistoryEvent(
            h.id(),
            h.previousEventId() == null ? 0 : h.previousEventId(),
            h.timestamp(),
            type,
            details));
  }
}
