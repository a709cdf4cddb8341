package dev.cairn.aws.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.evidence.ExecutionHistory;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.util.Optional;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * {@link ExecutionHistory} on the Step Functions API: {@code DescribeExecution} for the status,
 * error and input, then {@code GetExecutionHistory} newest first, up to the last {@code
 * *StateExited} event, whose output is the execution's state when it ended.
 */
public final class SfnExecutionHistory implements ExecutionHistory {

  /** Events per page, newest first: the last exited state is a few events from the end. */
  private static final int PAGE = 50;

  private final SfnClient sfn;

  public SfnExecutionHistory(SfnClient sfn) {
    this.sfn = sfn;
  }

  @Override
  public Optional<Execution> read(String executionArn) {
    DescribeExecutionResponse d;
    try {
      d = sfn.describeExecution(r -> r.executionArn(executionArn));
    } catch (ExecutionDoesNotExistException e) {
      return Optional.empty();
    }
    String lastName = null;
    JsonNode lastState = null;
    String token = null;
    do {
      String next = token;
      GetExecutionHistoryResponse page =
          sfn.getExecutionHistory(
              r ->
                  r.executionArn(executionArn)
                      .reverseOrder(true)
                      .maxResults(PAGE)
                      .includeExecutionData(true)
                      .nextToken(next));
      for (HistoryEvent h : page.events()) {
        if (h.typeAsString().endsWith("StateExited") && h.stateExitedEventDetails() != null) {
          lastName = h.stateExitedEventDetails().name();
          lastState = parse(h.stateExitedEventDetails().output());
          break;
        }
      }
      token = page.nextToken();
    } while (lastName == null && token != null);
    return Optional.of(
        new Execution(
            d.executionArn(),
            d.statusAsString(),
            d.error(),
            d.cause(),
            parse(d.input()),
            lastName,
            lastState));
  }

  private static JsonNode parse(String json) {
    if (json == null || json.isEmpty()) {
      return null;
    }
    try {
      return Json.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      return null; // Step Functions keeps JSON; an unreadable one is no evidence
    }
  }
}
