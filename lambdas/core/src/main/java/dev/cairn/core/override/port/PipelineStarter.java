package dev.cairn.core.override.port;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Port: starts a DeployArtifactPipeline execution. Names are deterministic, so starting the same
 * name twice is harmless (Step Functions refuses a second execution with the same name and
 * different input; the adapter treats the same input as already started).
 */
@FunctionalInterface
public interface PipelineStarter {

  /** Starts execution {@code name} with {@code input} (docs/pipeline-contract.md); its ARN. */
  String start(String name, ObjectNode input);
}
