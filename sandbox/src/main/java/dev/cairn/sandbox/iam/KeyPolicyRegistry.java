package dev.cairn.sandbox.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The key policy of each KMS key the emulated stacks created, as KMS would know it: a call on such
 * a key (its handler's {@code kms:EnableKeyRotation}, a table's {@code kms:CreateGrant}) is allowed
 * only when the key policy allows it or delegates to the account's IAM policies, so the IAM check
 * needs the key's own policy, as it has those of the control plane's keys.
 */
public final class KeyPolicyRegistry {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, JsonNode> policies = new ConcurrentHashMap<>();

  /** The key policies known so far, by key ARN. */
  public Map<String, JsonNode> policies() {
    return Map.copyOf(policies);
  }

  /**
   * Learns from one resource operation: a key created or updated with its policy, or deleted; or a
   * multi-Region replica made by CDK's {@code AwsCustomResource} ({@code Custom::AWS}) with KMS
   * {@code ReplicateKey}. The sandbox does not run custom resource functions, but CloudFormation
   * reports this one succeeded, so the replica exists: same key ID in {@code ReplicaRegion}, with
   * the request's {@code Policy}, else "the default key policy" (AWS KMS API Reference,
   * ReplicateKey), which lets the account's IAM policies decide.
   */
  public void record(
      String resourceType,
      String operation,
      String keyId,
      JsonNode properties,
      String account,
      String region) {
    if (resourceType.equals("Custom::AWS")) {
      replica(operation, properties, account);
      return;
    }
    if (!resourceType.equals("AWS::KMS::Key") || keyId == null) {
      return;
    }
    String arn = keyArn(region, account, keyId);
    if (operation.equals("DELETE")) {
      policies.remove(arn);
    } else if (properties.path("KeyPolicy").isObject()) {
      policies.put(arn, properties.get("KeyPolicy"));
    }
  }

  private void replica(String operation, JsonNode properties, String account) {
    JsonNode call = properties.path(operation.equals("UPDATE") ? "Update" : "Create");
    if (operation.equals("DELETE") || !call.isTextual()) {
      return;
    }
    JsonNode request;
    try {
      request = JSON.readTree(call.asText());
    } catch (java.io.IOException e) {
      return; // not a call the sandbox can read: nothing is learned
    }
    JsonNode parameters = request.path("parameters");
    if (!request.path("service").asText().equalsIgnoreCase("KMS")
        || !request.path("action").asText().equalsIgnoreCase("replicateKey")
        || !parameters.path("KeyId").isTextual()
        || !parameters.path("ReplicaRegion").isTextual()) {
      return;
    }
    String keyId = parameters.get("KeyId").asText();
    keyId = keyId.substring(keyId.lastIndexOf('/') + 1);
    JsonNode policy;
    try {
      policy =
          parameters.path("Policy").isTextual()
              ? JSON.readTree(parameters.get("Policy").asText())
              : defaultKeyPolicy(account);
    } catch (java.io.IOException e) {
      return;
    }
    policies.put(keyArn(parameters.get("ReplicaRegion").asText(), account, keyId), policy);
  }

  /** "Default key policy" (AWS KMS Developer Guide): the account's IAM policies decide. */
  private static JsonNode defaultKeyPolicy(String account) {
    ObjectNode policy = JSON.createObjectNode();
    policy.put("Version", "2012-10-17");
    ObjectNode statement = policy.putArray("Statement").addObject();
    statement.put("Sid", "Enable IAM User Permissions");
    statement.put("Effect", "Allow");
    statement.putObject("Principal").put("AWS", "arn:aws:iam::" + account + ":root");
    statement.put("Action", "kms:*");
    statement.put("Resource", "*");
    return policy;
  }

  private static String keyArn(String region, String account, String keyId) {
    return "arn:"
        + (region.startsWith("cn-") ? "aws-cn" : "aws")
        + ":kms:"
        + region
        + ":"
        + account
        + ":key/"
        + keyId;
  }
}
