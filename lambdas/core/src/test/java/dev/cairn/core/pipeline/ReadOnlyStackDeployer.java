package dev.cairn.core.pipeline;

import dev.cairn.core.pipeline.port.StackDeployer;
import java.util.OptionalInt;

/**
 * A {@link StackDeployer} for tests of read-only callers (the finalizer, through a target account's
 * read-only role): subclasses answer {@code describeStack} and {@code describeChangeSet}; every
 * other call fails the test. Shared through the cairn-core test jar.
 */
public abstract class ReadOnlyStackDeployer implements StackDeployer {

  @Override
  public final void createChangeSet(ChangeSetRequest request) {
    throw writeThroughReadOnlyRole();
  }

  @Override
  public final void executeChangeSet(String stackName, String changeSetName, String clientToken) {
    throw writeThroughReadOnlyRole();
  }

  @Override
  public final void deleteChangeSet(String stackName, String changeSetName) {
    throw writeThroughReadOnlyRole();
  }

  @Override
  public final void deleteStack(String stackName, String clientToken) {
    throw writeThroughReadOnlyRole();
  }

  @Override
  public final void setStackPolicy(String stackName, String policyJson) {
    throw writeThroughReadOnlyRole();
  }

  @Override
  public final void updateTerminationProtection(String stackName, boolean enabled) {
    throw writeThroughReadOnlyRole();
  }

  @Override
  public final String detectDrift(String stackName) {
    throw notARead();
  }

  @Override
  public final DriftState driftStatus(String detectionId) {
    throw notARead();
  }

  @Override
  public final OptionalInt bootstrapVersion(String ssmParameterName) {
    throw notARead();
  }

  @Override
  public final java.util.Optional<TemplateRead> readTemplate(
      String account, dev.cairn.core.assembly.TemplateObject template) {
    throw notARead();
  }

  private static AssertionError writeThroughReadOnlyRole() {
    return new AssertionError("write through the read-only role");
  }

  private static AssertionError notARead() {
    return new AssertionError("a read-only caller needs only DescribeStacks and DescribeChangeSet");
  }
}
