package dev.cairn.cdk.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The one typed configuration of a Cairn installation, validated against {@code
 * schema/cairn-config.v1.json} by {@link CairnConfigLoader}. Field names follow the JSON file.
 */
@JsonIgnoreProperties(value = {"$schema"})
public record CairnConfig(
    @JsonProperty("config_version") int configVersion,
    @JsonProperty("tools_account") AccountRegion toolsAccount,
    @JsonProperty("environments") List<EnvironmentConfig> environments,
    @JsonProperty("trusted_signer_keys") List<PublicKeyConfig> trustedSignerKeys,
    @JsonProperty("operator_keys") List<PublicKeyConfig> operatorKeys,
    @JsonProperty("allowed_cdk_cli_versions") List<String> allowedCdkCliVersions,
    @JsonProperty("max_rollback_attempts") Integer maxRollbackAttempts,
    @JsonProperty("never_promoted_days") Integer neverPromotedDays,
    @JsonProperty("bootstrap_qualifier") String bootstrapQualifier,
    @JsonProperty("anchor_email") String anchorEmail,
    @JsonProperty("alert_emails") List<String> alertEmails,
    @JsonProperty("github") GitHubConfig github,
    @JsonProperty("bucket_names") BucketNames bucketNames,
    @JsonProperty("security_automation_role_arn") String securityAutomationRoleArn,
    @JsonProperty("context_lookup_parameters") List<String> contextLookupParameters,
    @JsonProperty("audit_anchor_retention_days") Integer auditAnchorRetentionDays,
    @JsonProperty("metadata_export_retention_days") Integer metadataExportRetentionDays,
    @JsonProperty("log_retention_days") Integer logRetentionDays,
    @JsonProperty("cloudtrail_lake_channel_arn") String cloudTrailLakeChannelArn,
    @JsonProperty("allow_asserted_git_signature") Boolean allowAssertedGitSignature,
    @JsonProperty("context_signer_keys") List<PublicKeyConfig> contextSignerKeys) {

  /** Default retention (days) when the optional fields are absent. */
  public static final int DEFAULT_RETENTION_DAYS = 365;

  /** The spec's {@code MAX_ROLLBACK_ATTEMPTS} default. */
  public static final int DEFAULT_MAX_ROLLBACK_ATTEMPTS = 2;

  /**
   * {@code ArtifactNeverPromoted}'s X days when absent: the spec gives no X; 7 is its one metric
   * window ("trailing 7d"), well inside the 90-day TTL.
   */
  public static final int DEFAULT_NEVER_PROMOTED_DAYS = 7;

  /** The CDK's default bootstrap qualifier ({@code cdk bootstrap} without {@code --qualifier}). */
  public static final String DEFAULT_BOOTSTRAP_QUALIFIER = "hnb659fds";

  /** The spec's floor for metadata export retention. */
  public static final int MIN_EXPORT_RETENTION_DAYS = 180;

  public CairnConfig {
    Objects.requireNonNull(toolsAccount, "tools_account");
    environments = List.copyOf(Objects.requireNonNull(environments, "environments"));
    trustedSignerKeys =
        List.copyOf(Objects.requireNonNull(trustedSignerKeys, "trusted_signer_keys"));
    operatorKeys = List.copyOf(Objects.requireNonNull(operatorKeys, "operator_keys"));
    contextSignerKeys = contextSignerKeys == null ? List.of() : List.copyOf(contextSignerKeys);
    allowedCdkCliVersions =
        List.copyOf(Objects.requireNonNull(allowedCdkCliVersions, "allowed_cdk_cli_versions"));
    if (anchorEmail == null || anchorEmail.isBlank()) {
      throw new InvalidConfigException(
          "anchor_email is required: the audit-anchor-publish topic must have an external e-mail"
              + " subscriber");
    }
    alertEmails = alertEmails == null ? List.of() : List.copyOf(alertEmails);
    maxRollbackAttempts =
        maxRollbackAttempts == null ? DEFAULT_MAX_ROLLBACK_ATTEMPTS : maxRollbackAttempts;
    neverPromotedDays = neverPromotedDays == null ? DEFAULT_NEVER_PROMOTED_DAYS : neverPromotedDays;
    bootstrapQualifier =
        bootstrapQualifier == null ? DEFAULT_BOOTSTRAP_QUALIFIER : bootstrapQualifier;
    allowAssertedGitSignature = Boolean.TRUE.equals(allowAssertedGitSignature);
    Objects.requireNonNull(github, "github");
    Objects.requireNonNull(bucketNames, "bucket_names");
    contextLookupParameters =
        contextLookupParameters == null ? List.of() : List.copyOf(contextLookupParameters);
    auditAnchorRetentionDays =
        auditAnchorRetentionDays == null ? DEFAULT_RETENTION_DAYS : auditAnchorRetentionDays;
    metadataExportRetentionDays =
        metadataExportRetentionDays == null ? DEFAULT_RETENTION_DAYS : metadataExportRetentionDays;
    if (metadataExportRetentionDays < MIN_EXPORT_RETENTION_DAYS) {
      throw new InvalidConfigException(
          "metadata_export_retention_days must be at least " + MIN_EXPORT_RETENTION_DAYS);
    }
    logRetentionDays = logRetentionDays == null ? DEFAULT_RETENTION_DAYS : logRetentionDays;
  }

  /** The single region everything runs in (the tools account's region). */
  public String region() {
    return toolsAccount.region();
  }

  /**
   * An existing CloudTrail Lake channel for the audit anchors' custom events, if configured. When
   * absent, the stateful stack creates an event data store and a {@code Custom} channel into it.
   */
  public Optional<String> cloudTrailLakeChannel() {
    return Optional.ofNullable(cloudTrailLakeChannelArn);
  }

  /** The role allowed to delete objects in the contexts bucket, if configured. */
  public Optional<String> securityAutomationRole() {
    return Optional.ofNullable(securityAutomationRoleArn);
  }

  /** An account and a region. */
  public record AccountRegion(
      @JsonProperty("account") String account, @JsonProperty("region") String region) {
    public AccountRegion {
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(region, "region");
    }
  }

  /** One environment of the chain. */
  public record EnvironmentConfig(
      @JsonProperty("name") String name,
      @JsonProperty("account") String account,
      @JsonProperty("region") String region,
      @JsonProperty("stack_name_prefix") String stackNamePrefix,
      @JsonProperty("check_drift") boolean checkDrift,
      @JsonProperty("tests_project") String testsProject,
      @JsonProperty("bake_minutes") int bakeMinutes,
      @JsonProperty("alarms_to_watch") List<String> alarmsToWatch,
      @JsonProperty("approvals_required") int approvalsRequired,
      @JsonProperty("execution_policy") List<ExecutionStatement> executionPolicy,
      @JsonProperty("post_deploy_watch_minutes") Integer postDeployWatchMinutes) {
    public EnvironmentConfig {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(stackNamePrefix, "stack_name_prefix");
      Objects.requireNonNull(testsProject, "tests_project");
      alarmsToWatch = alarmsToWatch == null ? List.of() : List.copyOf(alarmsToWatch);
      executionPolicy = List.copyOf(Objects.requireNonNull(executionPolicy, "execution_policy"));
    }
  }

  /** One statement of an environment's CloudFormation execution policy. */
  public record ExecutionStatement(
      @JsonProperty("sid") String sid,
      @JsonProperty("actions") List<String> actions,
      @JsonProperty("resources") List<String> resources) {
    public ExecutionStatement {
      actions = List.copyOf(Objects.requireNonNull(actions, "actions"));
      resources = List.copyOf(Objects.requireNonNull(resources, "resources"));
    }
  }

  /** A pinned public key. */
  public record PublicKeyConfig(
      @JsonProperty("key_id") String keyId,
      @JsonProperty("algorithm") String algorithm,
      @JsonProperty("public_key") String publicKey) {}

  /** The GitHub repository, ref and workflow the CI OIDC role is bound to. */
  public record GitHubConfig(
      @JsonProperty("repository") String repository,
      @JsonProperty("ref") String ref,
      @JsonProperty("workflow") String workflow) {
    public GitHubConfig {
      Objects.requireNonNull(repository, "repository");
      Objects.requireNonNull(ref, "ref");
      Objects.requireNonNull(workflow, "workflow");
    }

    /**
     * The exact OIDC {@code sub} claim: repository, ref and the calling workflow. The repository's
     * OIDC subject template must include {@code repo}, {@code ref} and {@code job_workflow_ref}
     * (see docs/deploy-order.md).
     */
    public String subjectClaim() {
      return "repo:"
          + repository
          + ":ref:"
          + ref
          + ":job_workflow_ref:"
          + repository
          + "/"
          + workflow
          + "@"
          + ref;
    }
  }

  /** Physical bucket names. */
  public record BucketNames(
      @JsonProperty("candidate") String candidate,
      @JsonProperty("release") String release,
      @JsonProperty("contexts") String contexts,
      @JsonProperty("audit_anchors") String auditAnchors,
      @JsonProperty("metadata_exports") String metadataExports,
      @JsonProperty("access_logs") String accessLogs) {}
}
