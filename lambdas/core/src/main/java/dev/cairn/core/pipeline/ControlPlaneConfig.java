package dev.cairn.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.json.Json;
import dev.cairn.core.signature.SignatureAlgorithm;
import dev.cairn.core.trust.TrustPolicy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The control plane's runtime configuration, as the CDK app stores it in the SSM parameter {@code
 * /cairn/control-plane-config}: the environment chain, CI's trusted signer keys, the context
 * generator's blessing keys ({@code context_signer_keys}), the operators' keys, the approved CDK
 * CLI versions, {@code MAX_ROLLBACK_ATTEMPTS} (default 2) and the targets' CDK bootstrap qualifier
 * (default {@code hnb659fds}). Role ARNs follow the target-account stack's names ({@code
 * cairn-<env>-deploy}, {@code -cfn-exec}, {@code -readonly}).
 *
 * @param installationId this installation's id ({@code <tools account>:<region>}), the audience
 *     every operator request must name
 */
public record ControlPlaneConfig(
    String installationId,
    EnvironmentChain chain,
    TrustPolicy trustPolicy,
    List<TrustPolicy.SignerSpec> operatorKeys,
    int maxRollbackAttempts,
    String bootstrapQualifier) {

  /** The spec's {@code MAX_ROLLBACK_ATTEMPTS} default. */
  public static final int DEFAULT_MAX_ROLLBACK_ATTEMPTS = 2;

  /** The CDK's default bootstrap qualifier ({@code cdk bootstrap} without {@code --qualifier}). */
  public static final String DEFAULT_BOOTSTRAP_QUALIFIER = "hnb659fds";

  /** The only ref the pipeline deploys from unless configured otherwise. */
  public static final List<String> DEFAULT_SOURCE_REFS = List.of("refs/heads/main");

  /** Seed 004: "Post-deploy in prod: 10-minute watch." */
  public static final long DEFAULT_POST_DEPLOY_WATCH_MINUTES = 10;

  public ControlPlaneConfig {
    if (installationId == null || !installationId.matches("[A-Za-z0-9][A-Za-z0-9:._-]{0,127}")) {
      throw new IllegalArgumentException(
          "installation_id is required (e.g. <tools account>:<region>): " + installationId);
    }
    operatorKeys = List.copyOf(operatorKeys);
    if (maxRollbackAttempts < 1) {
      throw new IllegalArgumentException("max_rollback_attempts must be at least 1");
    }
    if (bootstrapQualifier == null || !bootstrapQualifier.matches("[a-z0-9]{1,10}")) {
      throw new IllegalArgumentException(
          "bootstrap_qualifier must be 1-10 lower-case letters or digits: " + bootstrapQualifier);
    }
  }

  /**
   * The SSM parameter the target's bootstrap stack records its version in: {@code
   * /cdk-bootstrap/<qualifier>/version}, the only one the deploy role may read.
   */
  public static String bootstrapVersionParameter(String qualifier) {
    return "/cdk-bootstrap/" + qualifier + "/version";
  }

  public static ControlPlaneConfig parse(String json, String partition) {
    JsonNode root;
    try {
      root = Json.parse(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "control plane config is not valid JSON: " + e.getMessage(), e);
    }
    List<EnvironmentPolicy> envs = new ArrayList<>();
    int last = root.path("environments").size() - 1;
    for (JsonNode e : root.path("environments")) {
      // post_deploy_watch_minutes: the final environment's watch, 10 minutes unless configured.
      long watchMinutes =
          e.hasNonNull("post_deploy_watch_minutes")
              ? e.get("post_deploy_watch_minutes").asLong()
              : envs.size() == last ? DEFAULT_POST_DEPLOY_WATCH_MINUTES : 0;
      String name = e.path("name").asText(null);
      String account = e.path("account").asText(null);
      List<String> alarms = new ArrayList<>();
      e.path("alarms_to_watch").forEach(a -> alarms.add(a.asText()));
      envs.add(
          new EnvironmentPolicy(
              name,
              account,
              e.path("region").asText(null),
              roleArn(partition, account, "cairn-" + name + "-deploy"),
              roleArn(partition, account, "cairn-" + name + "-cfn-exec"),
              roleArn(partition, account, "cairn-" + name + "-readonly"),
              e.path("check_drift").asBoolean(false),
              e.hasNonNull("tests_project") ? e.get("tests_project").asText() : null,
              e.path("bake_minutes").asLong(0) * 60,
              alarms,
              e.path("approvals_required").asInt(0),
              e.hasNonNull("stack_policy") ? e.get("stack_policy").toString() : null,
              watchMinutes * 60));
    }
    List<String> cliVersions = new ArrayList<>();
    root.path("allowed_cdk_cli_versions").forEach(v -> cliVersions.add(v.asText()));
    List<String> refs = new ArrayList<>();
    root.path("required_source_refs").forEach(v -> refs.add(v.asText()));
    return new ControlPlaneConfig(
        root.path("installation_id").asText(null),
        new EnvironmentChain(envs),
        TrustPolicy.of(
                keys(root.path("trusted_signer_keys")),
                cliVersions,
                refs.isEmpty() ? DEFAULT_SOURCE_REFS : refs,
                root.path("allow_asserted_git_signature").asBoolean(false))
            // The context generator's keys: gate 6 accepts only contexts they blessed.
            .withContextSigners(keys(root.path("context_signer_keys"))),
        keys(root.path("operator_keys")),
        root.path("max_rollback_attempts").asInt(DEFAULT_MAX_ROLLBACK_ATTEMPTS),
        root.path("bootstrap_qualifier").asText(DEFAULT_BOOTSTRAP_QUALIFIER));
  }

  private static List<TrustPolicy.SignerSpec> keys(JsonNode list) {
    List<TrustPolicy.SignerSpec> out = new ArrayList<>();
    for (JsonNode k : list) {
      out.add(
          new TrustPolicy.SignerSpec(
              k.path("key_id").asText(),
              SignatureAlgorithm.valueOf(k.path("algorithm").asText()),
              k.path("public_key").asText()));
    }
    return out;
  }

  private static String roleArn(String partition, String account, String name) {
    return "arn:" + partition + ":iam::" + account + ":role/" + name;
  }
}
