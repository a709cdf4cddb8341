package dev.cairn.core.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Step Functions' own account of a pipeline execution ({@code DescribeExecution}, {@code
 * GetExecutionHistory}): written by the control plane's service, never by CI or a Lambda, so the
 * finalizer may build evidence on it.
 */
public interface ExecutionHistory {

  /**
   * One ended (or still running) execution.
   *
   * @param status Step Functions' status ({@code RUNNING}, {@code SUCCEEDED}, {@code FAILED},
   *     {@code TIMED_OUT}, {@code ABORTED})
   * @param input the execution input (service, commit_sha, environment, bucket, ...)
   * @param lastStateName the state it last left, or null
   * @param lastState the state ({@code $}) the execution last left a state with: what its steps had
   *     verified, deployed and tested when it ended; null when it left none
   */
  record Execution(
      String executionArn,
      String status,
      String error,
      String cause,
      JsonNode input,
      String lastStateName,
      JsonNode lastState) {}

  /** The execution, or empty when Step Functions knows no such execution. */
  Optional<Execution> read(String executionArn);
}
