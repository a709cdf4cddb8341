package dev.cairn.core.ledger;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cairn.core.ledger.port.DeploymentLedger;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.lifecycle.ArtifactStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of {@code cdk-artifact-metadata}: every attribute of the spec's "Metadata Tracking"
 * section, plus {@code version} (optimistic locking) and the sparse sweep index attributes. JSON
 * (and DynamoDB) attribute names are the spec's, in snake_case; absent values are omitted.
 * Timestamps are {@link Instant}s written as {@link LedgerTime} says: {@code build_time} is the
 * manifest's instant, every {@code *_at} has millisecond precision (the constructor truncates).
 *
 * <p>Status fields change only through {@link DeploymentLedger#transition}, which checks the
 * lifecycle table; everything else is set through {@link #toBuilder()}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArtifactRecord(
    @JsonProperty("service") String service,
    @JsonProperty("commit_sha") String commitSha,
    @JsonProperty("version") long version,
    @JsonProperty("status") ArtifactStatus status,
    @JsonProperty("artifact_sha256") String artifactSha256,
    @JsonProperty("artifact_url") String artifactUrl,
    @JsonProperty("artifact_type") String artifactType,
    @JsonProperty("git_commit") String gitCommit,
    @JsonProperty("previous_commit_sha") String previousCommitSha,
    @JsonProperty("commit_signature_verified") Boolean commitSignatureVerified,
    @JsonProperty("last_known_good_commit") String lastKnownGoodCommit,
    @JsonProperty("deployment_id") String deploymentId,
    @JsonProperty("target_region") String targetRegion,
    @JsonProperty("build_time") @LedgerTime.Iso Instant buildTime,
    @JsonProperty("build_duration_seconds") Long buildDurationSeconds,
    @JsonProperty("cdk_cli_version") String cdkCliVersion,
    @JsonProperty("cdk_library_versions") Map<String, String> cdkLibraryVersions,
    @JsonProperty("cdk_context_hash") String cdkContextHash,
    @JsonProperty("environment_states") Map<String, EnvironmentState> environmentStates,
    @JsonProperty("global_health_status") HealthStatus globalHealthStatus,
    @JsonProperty("audit_event_ids") List<String> auditEventIds,
    @JsonProperty("manual_override_requested") Boolean manualOverrideRequested,
    @JsonProperty("override_signature") String overrideSignature,
    @JsonProperty("promotion_reason") String promotionReason,
    @JsonProperty("rollback_reason") String rollbackReason,
    @JsonProperty("integrity_verified") Boolean integrityVerified,
    @JsonProperty("rollback_attempts") Integer rollbackAttempts,
    @JsonProperty("rollback_attempts_exhausted") Boolean rollbackAttemptsExhausted,
    @JsonProperty("rollback_backoff_schedule") List<Long> rollbackBackoffSchedule,
    @JsonProperty("rollback_failure_reason") String rollbackFailureReason,
    @JsonProperty("manual_intervention_required") Boolean manualInterventionRequired,
    @JsonProperty("execution_id") String executionId,
    @JsonProperty("execution_started_at") @LedgerTime.Iso Instant executionStartedAt,
    @JsonProperty("execution_allowance_seconds") Long executionAllowanceSeconds,
    @JsonProperty("execution_completed_at") @LedgerTime.Iso Instant executionCompletedAt,
    @JsonProperty("execution_status") ExecutionStatus executionStatus,
    @JsonProperty("finalizer_ran") Boolean finalizerRan,
    @JsonProperty("finalizer_correction_applied") Boolean finalizerCorrectionApplied,
    @JsonProperty("assets") Map<String, AssetRef> assets,
    @JsonProperty("asset_verification_passed") Boolean assetVerificationPassed,
    @JsonProperty("stack_drift_detected") Boolean stackDriftDetected,
    @JsonProperty("finalizer_corrected") Boolean finalizerCorrected,
    @JsonProperty("finalizer_corrected_at") @LedgerTime.Iso Instant finalizerCorrectedAt,
    @JsonProperty("expire_at") Long expireAt,
    @JsonProperty("sweep_partition") String sweepPartition,
    @JsonProperty("sweep_due_at") Long sweepDueAt,
    @JsonProperty("created_at") @LedgerTime.Iso Instant createdAt,
    @JsonProperty("updated_at") @LedgerTime.Iso Instant updatedAt) {

  /** The value of {@code artifact_type} for every Cairn artifact. */
  public static final String ARTIFACT_TYPE_CDK = "cdk";

  public ArtifactRecord {
    if (service == null || service.isBlank() || commitSha == null || commitSha.isBlank()) {
      throw new IllegalArgumentException("service and commit_sha are required");
    }
    if (status == null) {
      throw new IllegalArgumentException("status is required");
    }
    if (version < 0) {
      throw new IllegalArgumentException("version must not be negative");
    }
    environmentStates =
        environmentStates == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(environmentStates));
    cdkLibraryVersions = cdkLibraryVersions == null ? null : Map.copyOf(cdkLibraryVersions);
    auditEventIds = auditEventIds == null ? null : List.copyOf(auditEventIds);
    rollbackBackoffSchedule =
        rollbackBackoffSchedule == null ? null : List.copyOf(rollbackBackoffSchedule);
    assets = assets == null ? null : Map.copyOf(assets);
    executionStartedAt = LedgerTime.millis(executionStartedAt);
    executionCompletedAt = LedgerTime.millis(executionCompletedAt);
    finalizerCorrectedAt = LedgerTime.millis(finalizerCorrectedAt);
    createdAt = LedgerTime.millis(createdAt);
    updatedAt = LedgerTime.millis(updatedAt);
  }

  /** The record's key. */
  public ArtifactKey key() {
    return new ArtifactKey(service, commitSha);
  }

  /** The state of {@code environment}, or null when the record has no such environment. */
  public EnvironmentState environment(String environment) {
    return environmentStates.get(environment);
  }

  /** A builder holding this record's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.service = service;
    b.commitSha = commitSha;
    b.version = version;
    b.status = status;
    b.artifactSha256 = artifactSha256;
    b.artifactUrl = artifactUrl;
    b.artifactType = artifactType;
    b.gitCommit = gitCommit;
    b.previousCommitSha = previousCommitSha;
    b.commitSignatureVerified = commitSignatureVerified;
    b.lastKnownGoodCommit = lastKnownGoodCommit;
    b.deploymentId = deploymentId;
    b.targetRegion = targetRegion;
    b.buildTime = buildTime;
    b.buildDurationSeconds = buildDurationSeconds;
    b.cdkCliVersion = cdkCliVersion;
    b.cdkLibraryVersions =
        cdkLibraryVersions == null ? null : new LinkedHashMap<>(cdkLibraryVersions);
    b.cdkContextHash = cdkContextHash;
    b.environmentStates = environmentStates == null ? null : new LinkedHashMap<>(environmentStates);
    b.globalHealthStatus = globalHealthStatus;
    b.auditEventIds = auditEventIds == null ? null : new ArrayList<>(auditEventIds);
    b.manualOverrideRequested = manualOverrideRequested;
    b.overrideSignature = overrideSignature;
    b.promotionReason = promotionReason;
    b.rollbackReason = rollbackReason;
    b.integrityVerified = integrityVerified;
    b.rollbackAttempts = rollbackAttempts;
    b.rollbackAttemptsExhausted = rollbackAttemptsExhausted;
    b.rollbackBackoffSchedule =
        rollbackBackoffSchedule == null ? null : new ArrayList<>(rollbackBackoffSchedule);
    b.rollbackFailureReason = rollbackFailureReason;
    b.manualInterventionRequired = manualInterventionRequired;
    b.executionId = executionId;
    b.executionStartedAt = executionStartedAt;
    b.executionAllowanceSeconds = executionAllowanceSeconds;
    b.executionCompletedAt = executionCompletedAt;
    b.executionStatus = executionStatus;
    b.finalizerRan = finalizerRan;
    b.finalizerCorrectionApplied = finalizerCorrectionApplied;
    b.assets = assets == null ? null : new LinkedHashMap<>(assets);
    b.assetVerificationPassed = assetVerificationPassed;
    b.stackDriftDetected = stackDriftDetected;
    b.finalizerCorrected = finalizerCorrected;
    b.finalizerCorrectedAt = finalizerCorrectedAt;
    b.expireAt = expireAt;
    b.sweepPartition = sweepPartition;
    b.sweepDueAt = sweepDueAt;
    b.createdAt = createdAt;
    b.updatedAt = updatedAt;
    return b;
  }

  /** A new, empty builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Mutable builder, the record's "with" for the ledger's attribute updates; {@link #build()}
   * validates. Jackson reads the record through its canonical constructor, not through this.
   */
  public static final class Builder {
    private String service;
    private String commitSha;
    private long version;
    private ArtifactStatus status;
    private String artifactSha256;
    private String artifactUrl;
    private String artifactType;
    private String gitCommit;
    private String previousCommitSha;
    private Boolean commitSignatureVerified;
    private String lastKnownGoodCommit;
    private String deploymentId;
    private String targetRegion;
    private Instant buildTime;
    private Long buildDurationSeconds;
    private String cdkCliVersion;
    private Map<String, String> cdkLibraryVersions;
    private String cdkContextHash;
    private Map<String, EnvironmentState> environmentStates;
    private HealthStatus globalHealthStatus;
    private List<String> auditEventIds;
    private Boolean manualOverrideRequested;
    private String overrideSignature;
    private String promotionReason;
    private String rollbackReason;
    private Boolean integrityVerified;
    private Integer rollbackAttempts;
    private Boolean rollbackAttemptsExhausted;
    private List<Long> rollbackBackoffSchedule;
    private String rollbackFailureReason;
    private Boolean manualInterventionRequired;
    private String executionId;
    private Instant executionStartedAt;
    private Long executionAllowanceSeconds;
    private Instant executionCompletedAt;
    private ExecutionStatus executionStatus;
    private Boolean finalizerRan;
    private Boolean finalizerCorrectionApplied;
    private Map<String, AssetRef> assets;
    private Boolean assetVerificationPassed;
    private Boolean stackDriftDetected;
    private Boolean finalizerCorrected;
    private Instant finalizerCorrectedAt;
    private Long expireAt;
    private String sweepPartition;
    private Long sweepDueAt;
    private Instant createdAt;
    private Instant updatedAt;

    private Builder() {}

    /** Partition key: the service name. */
    public Builder service(String value) {
      this.service = value;
      return this;
    }

    public String service() {
      return service;
    }

    /** Sort key: the full commit SHA. */
    public Builder commitSha(String value) {
      this.commitSha = value;
      return this;
    }

    public String commitSha() {
      return commitSha;
    }

    /** Optimistic-locking counter; every transition adds one. */
    public Builder version(long value) {
      this.version = value;
      return this;
    }

    public long version() {
      return version;
    }

    /** Global lifecycle status. */
    public Builder status(ArtifactStatus value) {
      this.status = value;
      return this;
    }

    public ArtifactStatus status() {
      return status;
    }

    /** Directory hash of cdk.out (ARCHITECTURE decision 2). */
    public Builder artifactSha256(String value) {
      this.artifactSha256 = value;
      return this;
    }

    public String artifactSha256() {
      return artifactSha256;
    }

    /** s3://<candidate>/{service}/{commit_sha}/ */
    public Builder artifactUrl(String value) {
      this.artifactUrl = value;
      return this;
    }

    public String artifactUrl() {
      return artifactUrl;
    }

    /** Always "cdk". */
    public Builder artifactType(String value) {
      this.artifactType = value;
      return this;
    }

    public String artifactType() {
      return artifactType;
    }

    public Builder gitCommit(String value) {
      this.gitCommit = value;
      return this;
    }

    public String gitCommit() {
      return gitCommit;
    }

    public Builder previousCommitSha(String value) {
      this.previousCommitSha = value;
      return this;
    }

    public String previousCommitSha() {
      return previousCommitSha;
    }

    public Builder commitSignatureVerified(Boolean value) {
      this.commitSignatureVerified = value;
      return this;
    }

    public Boolean commitSignatureVerified() {
      return commitSignatureVerified;
    }

    public Builder lastKnownGoodCommit(String value) {
      this.lastKnownGoodCommit = value;
      return this;
    }

    public String lastKnownGoodCommit() {
      return lastKnownGoodCommit;
    }

    public Builder deploymentId(String value) {
      this.deploymentId = value;
      return this;
    }

    public String deploymentId() {
      return deploymentId;
    }

    public Builder targetRegion(String value) {
      this.targetRegion = value;
      return this;
    }

    public String targetRegion() {
      return targetRegion;
    }

    /** The manifest's build time. */
    public Builder buildTime(Instant value) {
      this.buildTime = value;
      return this;
    }

    public Instant buildTime() {
      return buildTime;
    }

    public Builder buildDurationSeconds(Long value) {
      this.buildDurationSeconds = value;
      return this;
    }

    public Long buildDurationSeconds() {
      return buildDurationSeconds;
    }

    public Builder cdkCliVersion(String value) {
      this.cdkCliVersion = value;
      return this;
    }

    public String cdkCliVersion() {
      return cdkCliVersion;
    }

    public Builder cdkLibraryVersions(Map<String, String> value) {
      this.cdkLibraryVersions = value;
      return this;
    }

    public Map<String, String> cdkLibraryVersions() {
      return cdkLibraryVersions;
    }

    public Builder cdkContextHash(String value) {
      this.cdkContextHash = value;
      return this;
    }

    public String cdkContextHash() {
      return cdkContextHash;
    }

    /** Keyed by configured environment name. */
    public Builder environmentStates(Map<String, EnvironmentState> value) {
      this.environmentStates = value;
      return this;
    }

    public Map<String, EnvironmentState> environmentStates() {
      return environmentStates;
    }

    public Builder globalHealthStatus(HealthStatus value) {
      this.globalHealthStatus = value;
      return this;
    }

    public HealthStatus globalHealthStatus() {
      return globalHealthStatus;
    }

    /** Ids of the audit entries written with this record's transitions. */
    public Builder auditEventIds(List<String> value) {
      this.auditEventIds = value;
      return this;
    }

    public List<String> auditEventIds() {
      return auditEventIds;
    }

    public Builder manualOverrideRequested(Boolean value) {
      this.manualOverrideRequested = value;
      return this;
    }

    public Boolean manualOverrideRequested() {
      return manualOverrideRequested;
    }

    public Builder overrideSignature(String value) {
      this.overrideSignature = value;
      return this;
    }

    public String overrideSignature() {
      return overrideSignature;
    }

    public Builder promotionReason(String value) {
      this.promotionReason = value;
      return this;
    }

    public String promotionReason() {
      return promotionReason;
    }

    public Builder rollbackReason(String value) {
      this.rollbackReason = value;
      return this;
    }

    public String rollbackReason() {
      return rollbackReason;
    }

    public Builder integrityVerified(Boolean value) {
      this.integrityVerified = value;
      return this;
    }

    public Boolean integrityVerified() {
      return integrityVerified;
    }

    public Builder rollbackAttempts(Integer value) {
      this.rollbackAttempts = value;
      return this;
    }

    public Integer rollbackAttempts() {
      return rollbackAttempts;
    }

    public Builder rollbackAttemptsExhausted(Boolean value) {
      this.rollbackAttemptsExhausted = value;
      return this;
    }

    public Boolean rollbackAttemptsExhausted() {
      return rollbackAttemptsExhausted;
    }

    /** Delays in seconds (60, 120, ...). */
    public Builder rollbackBackoffSchedule(List<Long> value) {
      this.rollbackBackoffSchedule = value;
      return this;
    }

    public List<Long> rollbackBackoffSchedule() {
      return rollbackBackoffSchedule;
    }

    public Builder rollbackFailureReason(String value) {
      this.rollbackFailureReason = value;
      return this;
    }

    public String rollbackFailureReason() {
      return rollbackFailureReason;
    }

    public Builder manualInterventionRequired(Boolean value) {
      this.manualInterventionRequired = value;
      return this;
    }

    public Boolean manualInterventionRequired() {
      return manualInterventionRequired;
    }

    /** Step Functions execution ARN. */
    public Builder executionId(String value) {
      this.executionId = value;
      return this;
    }

    public String executionId() {
      return executionId;
    }

    public Builder executionStartedAt(Instant value) {
      this.executionStartedAt = value;
      return this;
    }

    public Instant executionStartedAt() {
      return executionStartedAt;
    }

    /**
     * How long the execution of {@code execution_id} may stay in flight, measured from {@code
     * execution_started_at}, before the watchdog stops it: the spec's 65 minutes plus its
     * environment's bake and post-deploy watch. The lease writes it with {@code
     * execution_started_at}, so {@code sweep_due_at} falls exactly when the watchdog would act.
     */
    public Builder executionAllowanceSeconds(Long value) {
      this.executionAllowanceSeconds = value;
      return this;
    }

    public Long executionAllowanceSeconds() {
      return executionAllowanceSeconds;
    }

    public Builder executionCompletedAt(Instant value) {
      this.executionCompletedAt = value;
      return this;
    }

    public Instant executionCompletedAt() {
      return executionCompletedAt;
    }

    public Builder executionStatus(ExecutionStatus value) {
      this.executionStatus = value;
      return this;
    }

    public ExecutionStatus executionStatus() {
      return executionStatus;
    }

    public Builder finalizerRan(Boolean value) {
      this.finalizerRan = value;
      return this;
    }

    public Boolean finalizerRan() {
      return finalizerRan;
    }

    public Builder finalizerCorrectionApplied(Boolean value) {
      this.finalizerCorrectionApplied = value;
      return this;
    }

    public Boolean finalizerCorrectionApplied() {
      return finalizerCorrectionApplied;
    }

    /** Logical asset id to its hash and location. */
    public Builder assets(Map<String, AssetRef> value) {
      this.assets = value;
      return this;
    }

    public Map<String, AssetRef> assets() {
      return assets;
    }

    public Builder assetVerificationPassed(Boolean value) {
      this.assetVerificationPassed = value;
      return this;
    }

    public Boolean assetVerificationPassed() {
      return assetVerificationPassed;
    }

    public Builder stackDriftDetected(Boolean value) {
      this.stackDriftDetected = value;
      return this;
    }

    public Boolean stackDriftDetected() {
      return stackDriftDetected;
    }

    public Builder finalizerCorrected(Boolean value) {
      this.finalizerCorrected = value;
      return this;
    }

    public Boolean finalizerCorrected() {
      return finalizerCorrected;
    }

    public Builder finalizerCorrectedAt(Instant value) {
      this.finalizerCorrectedAt = value;
      return this;
    }

    public Instant finalizerCorrectedAt() {
      return finalizerCorrectedAt;
    }

    /** TTL: UNIX epoch seconds, build_time + 90 days by default. */
    public Builder expireAt(Long value) {
      this.expireAt = value;
      return this;
    }

    public Long expireAt() {
      return expireAt;
    }

    /** Sparse sweep index partition; absent when nothing is due. */
    public Builder sweepPartition(String value) {
      this.sweepPartition = value;
      return this;
    }

    public String sweepPartition() {
      return sweepPartition;
    }

    /** Sparse sweep index sort key (epoch seconds); absent when nothing is due. */
    public Builder sweepDueAt(Long value) {
      this.sweepDueAt = value;
      return this;
    }

    public Long sweepDueAt() {
      return sweepDueAt;
    }

    public Builder createdAt(Instant value) {
      this.createdAt = value;
      return this;
    }

    public Instant createdAt() {
      return createdAt;
    }

    public Builder updatedAt(Instant value) {
      this.updatedAt = value;
      return this;
    }

    public Instant updatedAt() {
      return updatedAt;
    }

    /** Sets (or replaces) one environment's state. */
    public Builder environment(String name, EnvironmentState state) {
      if (environmentStates == null) {
        environmentStates = new LinkedHashMap<>();
      } else if (!(environmentStates instanceof LinkedHashMap)) {
        environmentStates = new LinkedHashMap<>(environmentStates);
      }
      environmentStates.put(name, state);
      return this;
    }

    public ArtifactRecord build() {
      return new ArtifactRecord(
          service,
          commitSha,
          version,
          status,
          artifactSha256,
          artifactUrl,
          artifactType,
          gitCommit,
          previousCommitSha,
          commitSignatureVerified,
          lastKnownGoodCommit,
          deploymentId,
          targetRegion,
          buildTime,
          buildDurationSeconds,
          cdkCliVersion,
          cdkLibraryVersions,
          cdkContextHash,
          environmentStates,
          globalHealthStatus,
          auditEventIds,
          manualOverrideRequested,
          overrideSignature,
          promotionReason,
          rollbackReason,
          integrityVerified,
          rollbackAttempts,
          rollbackAttemptsExhausted,
          rollbackBackoffSchedule,
          rollbackFailureReason,
          manualInterventionRequired,
          executionId,
          executionStartedAt,
          executionAllowanceSeconds,
          executionCompletedAt,
          executionStatus,
          finalizerRan,
          finalizerCorrectionApplied,
          assets,
          assetVerificationPassed,
          stackDriftDetected,
          finalizerCorrected,
          finalizerCorrectedAt,
          expireAt,
          sweepPartition,
          sweepDueAt,
          createdAt,
          updatedAt);
    }
  }
}
