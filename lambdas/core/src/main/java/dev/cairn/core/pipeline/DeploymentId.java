package dev.cairn.core.pipeline;

import dev.cairn.core.integrity.Sha256;
import java.nio.charset.StandardCharsets;

/**
 * A deployment's identity, spelled out so a poll needs nothing but the id: {@code
 * <kind>:<bucket>:<commit>:<environment>:<label>}. The label is derived from the execution (and the
 * rollback attempt), so each execution gets its own change sets and a retry reuses them.
 */
public record DeploymentId(
    Kind kind, String bucket, String commitSha, String environment, String label) {

  /** A forward deploy or a rollback deploy. */
  public enum Kind {
    deploy,
    rollback
  }

  public DeploymentId {
    for (String part : new String[] {bucket, commitSha, environment, label}) {
      if (part == null || part.isEmpty() || part.contains(":")) {
        throw new IllegalArgumentException("malformed deployment id part: " + part);
      }
    }
  }

  public static DeploymentId deploy(
      String bucket, String commitSha, String environment, String executionId) {
    return new DeploymentId(
        Kind.deploy, bucket, commitSha, environment, executionLabel(executionId));
  }

  public static DeploymentId rollback(
      String bucket, String commitSha, String environment, String executionId, int attempt) {
    return new DeploymentId(
        Kind.rollback,
        bucket,
        commitSha,
        environment,
        executionLabel(executionId) + "-rb" + attempt);
  }

  /** Parses an id; a malformed one is a caller error. */
  public static DeploymentId parse(String id) {
    String[] p = id == null ? new String[0] : id.split(":", -1);
    if (p.length != 5) {
      throw new IllegalArgumentException("malformed deployment_id: " + id);
    }
    return new DeploymentId(Kind.valueOf(p[0]), p[1], p[2], p[3], p[4]);
  }

  @Override
  public String toString() {
    return kind + ":" + bucket + ":" + commitSha + ":" + environment + ":" + label;
  }

  /** The change set name for this deployment: valid for CloudFormation, ≤ 128 characters. */
  public String changeSetName() {
    return "cairn-"
        + commitSha.substring(0, 12)
        + "-"
        + environment.replaceAll("[^A-Za-z0-9-]", "-")
        + "-"
        + label;
  }

  static String executionLabel(String executionId) {
    return Sha256.hex(executionId.getBytes(StandardCharsets.UTF_8)).substring(0, 10);
  }
}
