package dev.cairn.core.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A CloudFormation stack policy, evaluated the way CloudFormation does before an update: once a
 * policy is set every resource is protected unless a statement allows the action, and an explicit
 * Deny always wins. Cairn evaluates it on the change set <em>before</em> executing, so a forbidden
 * replacement or deletion is refused with a clear reason instead of failing mid-update.
 *
 * <p>Supported: {@code Effect}, {@code Action}/{@code NotAction} ({@code
 * Update:Modify|Replace|Delete|*}), {@code Resource}/{@code NotResource} ({@code
 * LogicalResourceId/<glob>} or {@code *}), {@code Condition} {@code StringEquals}/{@code
 * StringLike} on {@code ResourceType}.
 */
public final class StackPolicy {

  /**
   * Resource types whose replacement or deletion loses data. The default policy that environment
   * configuration applies when a service ships none.
   */
  public static final List<String> STATEFUL_RESOURCE_TYPES =
      List.of(
          "AWS::DynamoDB::Table",
          "AWS::DynamoDB::GlobalTable",
          "AWS::S3::Bucket",
          "AWS::RDS::DBInstance",
          "AWS::RDS::DBCluster",
          "AWS::EFS::FileSystem",
          "AWS::KMS::Key",
          "AWS::Cognito::UserPool",
          "AWS::SQS::Queue",
          "AWS::Kinesis::Stream",
          "AWS::Logs::LogGroup",
          "AWS::SecretsManager::Secret");

  private final String json;
  private final List<Statement> statements;

  private StackPolicy(String json, List<Statement> statements) {
    this.json = json;
    this.statements = List.copyOf(statements);
  }

  /** The default policy: allow every update, deny replacing or deleting stateful resources. */
  public static StackPolicy protectingStatefulResources() {
    ObjectNode root = Json.object();
    ArrayNode st = root.putArray("Statement");
    st.addObject()
        .put("Effect", "Allow")
        .put("Action", "Update:*")
        .put("Principal", "*")
        .put("Resource", "*");
    ObjectNode deny =
        st.addObject().put("Effect", "Deny").put("Principal", "*").put("Resource", "*");
    deny.putArray("Action").add("Update:Replace").add("Update:Delete");
    ArrayNode types =
        deny.putObject("Condition").putObject("StringEquals").putArray("ResourceType");
    STATEFUL_RESOURCE_TYPES.forEach(types::add);
    try {
      return parse(Json.compact(root));
    } catch (InvalidStackPolicyException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses a stack policy document. */
  public static StackPolicy parse(String document) throws InvalidStackPolicyException {
    JsonNode root;
    try {
      root = Json.parse(document);
    } catch (IOException e) {
      throw new InvalidStackPolicyException("stack policy is not valid JSON: " + e.getMessage());
    }
    JsonNode list = root.path("Statement");
    if (!list.isArray() || list.isEmpty()) {
      throw new InvalidStackPolicyException("stack policy needs a non-empty Statement array");
    }
    List<Statement> statements = new ArrayList<>();
    for (JsonNode s : list) {
      String effect = s.path("Effect").asText("");
      if (!effect.equals("Allow") && !effect.equals("Deny")) {
        throw new InvalidStackPolicyException("Effect must be Allow or Deny");
      }
      if (!"*".equals(s.path("Principal").asText(""))) {
        throw new InvalidStackPolicyException(
            "Principal must be \"*\" (the only value stack policies support)");
      }
      boolean notAction = s.has("NotAction");
      boolean notResource = s.has("NotResource");
      statements.add(
          new Statement(
              effect.equals("Allow"),
              strings(s.get(notAction ? "NotAction" : "Action"), "Action"),
              notAction,
              strings(s.get(notResource ? "NotResource" : "Resource"), "Resource"),
              notResource,
              typeCondition(s.path("Condition"))));
    }
    return new StackPolicy(document, statements);
  }

  /** True when any statement allows: a policy an artifact ships may only add denies. */
  public boolean hasAllow() {
    return statements.stream().anyMatch(st -> st.allow);
  }

  /**
   * This policy with {@code denies}' statements appended: the environment's policy always applies
   * and an artifact can only narrow it (deny wins in CloudFormation's evaluation and in {@link
   * #forbids}). The document sent to SetStackPolicy is the merged one.
   *
   * @throws IllegalArgumentException when {@code denies} has an Allow statement
   */
  public StackPolicy withDeniesOf(StackPolicy denies) {
    if (denies.hasAllow()) {
      throw new IllegalArgumentException("only Deny statements can be added to a stack policy");
    }
    try {
      ObjectNode merged = (ObjectNode) Json.parse(json);
      ArrayNode all = (ArrayNode) merged.path("Statement");
      Json.parse(denies.json).path("Statement").forEach(all::add);
      List<Statement> statements = new ArrayList<>(this.statements);
      statements.addAll(denies.statements);
      return new StackPolicy(Json.compact(merged), statements);
    } catch (IOException e) {
      throw new IllegalStateException("a parsed stack policy no longer parses", e);
    }
  }

  /** The policy document, as SetStackPolicy sends it. */
  public String document() {
    return json;
  }

  /** Why {@code change} is forbidden, or empty when the policy allows it. */
  public Optional<String> forbids(ResourceChange change) {
    String action = change.policyAction();
    if (action == null) {
      return Optional.empty();
    }
    boolean allowed = false;
    for (Statement s : statements) {
      if (s.matches(action, change)) {
        if (!s.allow) {
          return Optional.of(
              describe(change, action) + " is explicitly denied by the stack policy");
        }
        allowed = true;
      }
    }
    return allowed
        ? Optional.empty()
        : Optional.of(describe(change, action) + " is not allowed by any stack policy statement");
  }

  private static String describe(ResourceChange c, String action) {
    return action + " of " + c.logicalResourceId() + " (" + c.resourceType() + ")";
  }

  private record TypeCondition(boolean like, List<String> values) {
    boolean matches(String type) {
      for (String v : values) {
        if (like ? glob(v).matcher(type).matches() : v.equals(type)) {
          return true;
        }
      }
      return false;
    }
  }

  private record Statement(
      boolean allow,
      List<String> actions,
      boolean notAction,
      List<String> resources,
      boolean notResource,
      TypeCondition condition) {

    boolean matches(String action, ResourceChange change) {
      boolean actionHit = actions.stream().anyMatch(a -> glob(a).matcher(action).matches());
      if (actionHit == notAction) {
        return false;
      }
      String resource = "LogicalResourceId/" + change.logicalResourceId();
      boolean resourceHit =
          resources.stream().anyMatch(r -> r.equals("*") || glob(r).matcher(resource).matches());
      if (resourceHit == notResource) {
        return false;
      }
      return condition == null || condition.matches(String.valueOf(change.resourceType()));
    }
  }

  private static TypeCondition typeCondition(JsonNode condition)
      throws InvalidStackPolicyException {
    if (condition.isMissingNode() || condition.isEmpty()) {
      return null;
    }
    boolean like = condition.has("StringLike");
    JsonNode op = condition.get(like ? "StringLike" : "StringEquals");
    if (op == null || condition.size() != 1 || !op.has("ResourceType") || op.size() != 1) {
      throw new InvalidStackPolicyException(
          "only StringEquals/StringLike conditions on ResourceType are supported");
    }
    return new TypeCondition(like, strings(op.get("ResourceType"), "ResourceType"));
  }

  private static List<String> strings(JsonNode node, String field)
      throws InvalidStackPolicyException {
    List<String> out = new ArrayList<>();
    if (node == null) {
      throw new InvalidStackPolicyException("a statement has no " + field);
    }
    if (node.isTextual()) {
      out.add(node.textValue());
    } else if (node.isArray()) {
      for (JsonNode n : node) {
        out.add(n.asText());
      }
    } else {
      throw new InvalidStackPolicyException(field + " must be a string or an array of strings");
    }
    return out;
  }

  private static Pattern glob(String g) {
    StringBuilder b = new StringBuilder();
    for (char c : g.toCharArray()) {
      switch (c) {
        case '*' -> b.append(".*");
        case '?' -> b.append('.');
        default -> b.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(b.toString());
  }

  /** A stack policy Cairn cannot evaluate faithfully; refused rather than half-applied. */
  public static final class InvalidStackPolicyException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidStackPolicyException(String message) {
      super(message);
    }
  }
}
