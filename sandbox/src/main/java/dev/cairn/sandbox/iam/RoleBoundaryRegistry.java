package dev.cairn.sandbox.iam;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The permissions boundary of each role the emulated stacks created, as IAM would know it: a call
 * on an existing role ({@code PutRolePolicy} of an {@code AWS::IAM::Policy}, say) is authorized
 * with that role's boundary as {@code iam:PermissionsBoundary}, so a role created without one is
 * refused later too.
 */
public final class RoleBoundaryRegistry {

  private final Map<String, String> boundaries = new ConcurrentHashMap<>();

  /** The boundary {@code roleArn} carries, or empty (unknown role, or none attached). */
  public Optional<String> of(String roleArn) {
    return Optional.ofNullable(boundaries.get(roleArn));
  }

  /** Learns from one resource operation's calls: a role created with a boundary, or deleted. */
  public void record(
      String resourceType,
      String operation,
      List<ResourceHandlerPermissions.Permission> permissions) {
    if (!resourceType.equals("AWS::IAM::Role")) {
      return;
    }
    for (ResourceHandlerPermissions.Permission p : permissions) {
      if (p.action().equals("iam:CreateRole")
          && p.context().containsKey("iam:PermissionsBoundary")) {
        boundaries.put(p.resourceArn(), p.context().get("iam:PermissionsBoundary"));
      } else if (p.action().equals("iam:DeleteRole") && operation.equals("DELETE")) {
        boundaries.remove(p.resourceArn());
      }
    }
  }
}
