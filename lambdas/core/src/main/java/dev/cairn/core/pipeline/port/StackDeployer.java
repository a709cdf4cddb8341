package dev.cairn.core.pipeline.port;

import dev.cairn.core.assembly.TemplateObject;
import dev.cairn.core.deploy.ResourceChange;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Port: CloudFormation in one target environment, through the environment's narrowly scoped deploy
 * role. Adapter: {@code CloudFormationStackDeployer}. Status strings are the API reference's
 * ({@code CREATE_COMPLETE}, {@code UPDATE_ROLLBACK_COMPLETE}, ...).
 */
public interface StackDeployer {

  /** A stack's status, or empty when it does not exist. */
  Optional<StackState> describeStack(String stackName);

  /** A change set's state, or empty when it does not exist. */
  Optional<ChangeSetState> describeChangeSet(String stackName, String changeSetName);

  void createChangeSet(ChangeSetRequest request);

  void executeChangeSet(String stackName, String changeSetName, String clientToken);

  void deleteChangeSet(String stackName, String changeSetName);

  void deleteStack(String stackName, String clientToken);

  void setStackPolicy(String stackName, String policyJson);

  /** {@code UpdateTerminationProtection}: CDK's {@code terminationProtection}, after a deploy. */
  void updateTerminationProtection(String stackName, boolean enabled);

  /** Starts drift detection; returns the detection id. */
  String detectDrift(String stackName);

  DriftState driftStatus(String detectionId);

  /** The target's CDK bootstrap version from SSM, or empty when the parameter is absent. */
  OptionalInt bootstrapVersion(String ssmParameterName);

  /**
   * A stack's published template as the deploy role reads it now, from the bootstrap bucket of
   * {@code account}: its bytes (at most {@link #MAX_TEMPLATE_BYTES}, CloudFormation's limit for a
   * {@code TemplateURL}) and the S3 version id of exactly those bytes (null when the bucket is not
   * versioned). Empty when the object does not exist.
   */
  Optional<TemplateRead> readTemplate(String account, TemplateObject template);

  /** CloudFormation's limit for a template given by {@code TemplateURL}: 1 MB. */
  int MAX_TEMPLATE_BYTES = 1_000_000;

  /** One read of a template object: the bytes and their version. */
  record TemplateRead(byte[] bytes, String versionId) {}

  /**
   * {@code DescribeStacks} status, reason, {@code EnableTerminationProtection}, and when its last
   * operation started as CloudFormation stamps it ({@code LastUpdatedTime}, else {@code
   * CreationTime}; null when not given).
   */
  record StackState(
      String stackName,
      String status,
      String statusReason,
      boolean terminationProtection,
      Instant operationTime) {
    /** A stack without termination protection. */
    public StackState(String stackName, String status, String statusReason) {
      this(stackName, status, statusReason, false);
    }

    public StackState(
        String stackName, String status, String statusReason, boolean terminationProtection) {
      this(stackName, status, statusReason, terminationProtection, null);
    }

    public boolean inProgress() {
      return status.endsWith("_IN_PROGRESS");
    }
  }

  /**
   * {@code DescribeChangeSet}: status, reason, execution status, the resource changes and its
   * {@code CreationTime} (null when not given).
   */
  record ChangeSetState(
      String status,
      String statusReason,
      String executionStatus,
      List<ResourceChange> changes,
      Instant creationTime) {
    public ChangeSetState {
      changes = List.copyOf(changes);
    }

    public ChangeSetState(
        String status, String statusReason, String executionStatus, List<ResourceChange> changes) {
      this(status, statusReason, executionStatus, changes, null);
    }

    /** CloudFormation's "didn't contain changes" failure: the stack is already as desired. */
    public boolean isEmpty() {
      return "FAILED".equals(status)
          && statusReason != null
          && statusReason.contains("didn't contain changes");
    }
  }

  /** {@code CreateChangeSet} with everything Cairn passes. */
  record ChangeSetRequest(
      String stackName,
      String changeSetName,
      boolean create,
      String templateUrl,
      Map<String, String> parameters,
      Map<String, String> tags,
      List<String> notificationArns,
      String roleArn,
      String clientToken) {
    public ChangeSetRequest {
      parameters = Map.copyOf(parameters);
      tags = Map.copyOf(tags);
      notificationArns = List.copyOf(notificationArns);
    }
  }

  /** {@code DescribeStackDriftDetectionStatus}. */
  record DriftState(
      String detectionStatus, String stackDriftStatus, int driftedResources, String reason) {}
}
