package dev.cairn.sandbox.iam;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One AWS call the sandbox made, with every policy that decides it: the caller's identity policies
 * and permissions boundary, and the resource's policy (for {@code sts:AssumeRole}, the role's trust
 * policy). Self-contained: the evaluator sees nothing else.
 *
 * <p>{@code context} holds the request context keys; the evaluator adds the standard ones derived
 * from this request where absent ({@code aws:PrincipalArn}, {@code aws:PrincipalAccount}, {@code
 * aws:SecureTransport=true}, {@code aws:CurrentTime}, {@code aws:ResourceAccount}, ...). An
 * identity policy may be a bare document or {@code {"name": ..., "policy": {...}}}, so the deciding
 * statement is reported by its policy name.
 *
 * @param principalArn the caller, an IAM role or user ARN, or a service principal such as {@code
 *     cloudformation.amazonaws.com}
 * @param resourceArn a concrete ARN; {@code *} only for actions that take no resource
 * @param permissionBoundary nullable: the role has none
 * @param resourcePolicy nullable: the resource has none
 */
public record IamRequest(
    String principalArn,
    String action,
    String resourceArn,
    String resourceAccount,
    List<JsonNode> identityPolicies,
    JsonNode permissionBoundary,
    JsonNode resourcePolicy,
    Map<String, String> context) {

  public IamRequest {
    requireText(principalArn, "principalArn");
    requireText(action, "action");
    requireText(resourceArn, "resourceArn");
    requireText(resourceAccount, "resourceAccount");
    if (!action.matches("[A-Za-z0-9-]+:[A-Za-z0-9]+")) {
      throw new IllegalArgumentException("action must be service:Action, got " + action);
    }
    if (!resourceArn.equals("*")
        && (!resourceArn.startsWith("arn:") || resourceArn.contains("*"))) {
      throw new IllegalArgumentException(
          "resourceArn must be a concrete ARN (or * for actions without a resource), got "
              + resourceArn);
    }
    if (!resourceAccount.matches("\\d{12}")) {
      throw new IllegalArgumentException(
          "resourceAccount must be 12 digits, got " + resourceAccount);
    }
    identityPolicies = List.copyOf(Objects.requireNonNull(identityPolicies, "identityPolicies"));
    identityPolicies.forEach(p -> requireObject(p, "identityPolicies[]"));
    if (permissionBoundary != null) requireObject(permissionBoundary, "permissionBoundary");
    if (resourcePolicy != null) requireObject(resourcePolicy, "resourcePolicy");
    context = Map.copyOf(Objects.requireNonNull(context, "context"));
  }

  /** A same-account call with identity policies only. */
  public static IamRequest identityOnly(
      String principalArn,
      String action,
      String resourceArn,
      String resourceAccount,
      List<JsonNode> identityPolicies) {
    return new IamRequest(
        principalArn, action, resourceArn, resourceAccount, identityPolicies, null, null, Map.of());
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
  }

  private static void requireObject(JsonNode node, String name) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(name + " must be a JSON object (a policy document)");
    }
  }
}
