package dev.cairn.core.finalize.port;

import java.time.Instant;
import java.util.List;

/** Port: the test builds (CodeBuild) the pipeline started for a deployment. */
public interface TestBuilds {

  /**
   * The builds of {@code project} started at or after {@code since} whose {@code
   * CAIRN_DEPLOYMENT_ID} is {@code deploymentId}, newest first.
   */
  List<TestBuild> find(String project, String deploymentId, Instant since);

  /**
   * One build.
   *
   * @param status CodeBuild's {@code buildStatus}: {@code SUCCEEDED}, {@code FAILED}, {@code
   *     FAULT}, {@code TIMED_OUT}, {@code IN_PROGRESS} or {@code STOPPED}
   */
  record TestBuild(String id, String status) {}
}
