package dev.cairn.local.emulators;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Told of each resource operation {@link CloudFormationEmulator} performs while it executes a
 * change set, rolls one back or deletes a stack. CloudFormation's resource handlers make these
 * calls with the credentials of the stack's service role ({@code RoleARN}), so a sandbox records
 * them as calls by that role and lets its IAM check decide whether the role may make them.
 */
@FunctionalInterface
public interface ResourceOperationListener {

  /** Records nothing. */
  ResourceOperationListener NONE =
      (account,
          region,
          roleArn,
          stackName,
          logicalId,
          resourceType,
          operation,
          physicalId,
          p) -> {};

  /**
   * CloudFormation in {@code account}/{@code region} performed {@code operation} ({@code CREATE},
   * {@code UPDATE} or {@code DELETE}) on one resource of {@code stackName}.
   *
   * @param roleArn the change set's (or the stack's) {@code RoleARN}; {@code null} when none was
   *     given, in which case CloudFormation acts with the credentials of whoever called it
   * @param physicalId the resource's physical ID (for a CREATE, the one just assigned)
   * @param properties the resource's {@code Properties}, with parameters, pseudo parameters and
   *     references to the stack's own resources resolved where the emulator can ({@code Ref},
   *     {@code Fn::GetAtt .Arn} of the types it names, {@code Fn::Join} of literals); for a DELETE
   *     the properties it was deployed with
   * @throws Refused when the operation's caller may not make it (IAM decided inline): the resource
   *     fails, and with it the execution
   */
  void operated(
      String account,
      String region,
      String roleArn,
      String stackName,
      String logicalId,
      String resourceType,
      String operation,
      String physicalId,
      JsonNode properties);

  /**
   * The resource handler was refused a call (IAM, inline): CloudFormation fails the resource with
   * {@code Resource handler returned message: "..."} and rolls the stack back.
   */
  final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Refused(String handlerMessage) {
      super(handlerMessage);
    }
  }
}
