package dev.cairn.core.sweep.port;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * Port: the DeployArtifactPipeline state machine's control API (adapter: {@code
 * SfnExecutionControl}). Names are deterministic (ARCHITECTURE decision 5), so a second start of
 * the same name is reported, not repeated.
 */
public interface ExecutionControl {

  /** {@code StartExecution}; an existing execution of that name is returned as {@code existed}. */
  Started start(String name, ObjectNode input);

  /** {@code DescribeExecution}: RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED; empty if none. */
  Optional<String> status(String executionArn);

  /** {@code StopExecution} with the error and cause the finalizer will see; harmless if closed. */
  void stop(String executionArn, String error, String cause);

  /** What a start returned. */
  record Started(String executionArn, boolean existed) {}
}
