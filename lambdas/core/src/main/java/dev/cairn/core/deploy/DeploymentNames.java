package dev.cairn.core.deploy;

import dev.cairn.core.integrity.Sha256;
import java.nio.charset.StandardCharsets;

/**
 * Deterministic names derived from (artifact, environment, attempt): a retried Lambda reuses the
 * same change set name and client token, so CloudFormation de-duplicates instead of creating twice.
 */
public final class DeploymentNames {

  private DeploymentNames() {}

  /**
   * {@code cairn-<commit12>-<env>-<attempt>}: matches {@code [a-zA-Z][-a-zA-Z0-9]*}, ≤ 128 chars.
   */
  public static String changeSetName(String commitSha, String environment, int attempt) {
    String env = environment.replaceAll("[^A-Za-z0-9-]", "-");
    String name =
        "cairn-"
            + commitSha.substring(0, Math.min(12, commitSha.length()))
            + "-"
            + env
            + "-"
            + attempt;
    return name.length() <= 128 ? name : name.substring(0, 128);
  }

  /** A client request token: {@code cairn-} plus a hash of every identifying part (≤ 128 chars). */
  public static String clientToken(
      String service, String commitSha, String environment, String stackName, int attempt) {
    String material =
        String.join("\n", service, commitSha, environment, stackName, Integer.toString(attempt));
    return "cairn-" + Sha256.hex(material.getBytes(StandardCharsets.UTF_8)).substring(0, 48);
  }

  /** A deployment id: one per (artifact, environment, attempt). */
  public static String deploymentId(
      String service, String commitSha, String environment, int attempt) {
    return "dep-"
        + Sha256.hex(
                String.join("\n", service, commitSha, environment, Integer.toString(attempt))
                    .getBytes(StandardCharsets.UTF_8))
            .substring(0, 24);
  }
}
