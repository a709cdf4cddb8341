package dev.cairn.core.pipeline.port;

import dev.cairn.core.pipeline.EnvironmentPolicy;

/**
 * Port: opens a {@link StackDeployer} for an environment (assumes its deploy role for ≤ 15 min).
 */
public interface StackDeployers {

  /**
   * @param sessionName a role session name that identifies the execution in CloudTrail
   */
  StackDeployer forEnvironment(EnvironmentPolicy environment, String sessionName);
}
