package dev.cairn.local.emulators;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.cloudformation.model.Change;
import software.amazon.awssdk.services.cloudformation.model.Replacement;
import software.amazon.awssdk.services.cloudformation.model.ResourceChange;

/**
 * The stack-policy evaluator of {@link CloudFormationEmulator}: what CloudFormation decides on
 * executing an UPDATE change set of a stack with a policy. {@code Update:Modify}, {@code
 * Update:Replace} (also for {@code Conditional}) and {@code Update:Delete} per resource, explicit
 * Deny wins, anything not allowed is denied ("Prevent updates to stack resources", User Guide).
 */
final class StackPolicyEvaluator {

  private static final ObjectMapper JSON = new ObjectMapper();

  private StackPolicyEvaluator() {}

  /**
   * The denial reason if {@code policyBody} (validated by SetStackPolicy; null when the stack has
   * none) forbids one of {@code changes}, else null.
   */
  static String denial(String policyBody, List<Change> changes) {
    if (policyBody == null) {
      return null;
    }
    JsonNode policy;
    try {
      policy = JSON.readTree(policyBody);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e); // validated on SetStackPolicy
    }
    for (Change c : changes) {
      ResourceChange rc = c.resourceChange();
      String action =
          switch (rc.action()) {
            case REMOVE -> "Update:Delete";
            case MODIFY ->
                rc.replacement() == Replacement.FALSE ? "Update:Modify" : "Update:Replace";
            default -> null; // policies do not govern resource creation
          };
      if (action == null) {
        continue;
      }
      String resource = "LogicalResourceId/" + rc.logicalResourceId();
      boolean allowed = false;
      boolean denied = false;
      for (JsonNode st : policy.path("Statement")) {
        if (!matchesAny(st, "Action", "NotAction", action)
            || !matchesAny(st, "Resource", "NotResource", resource)
            || !conditionHolds(st.path("Condition"), rc.resourceType())) {
          continue;
        }
        if ("Deny".equals(st.path("Effect").asText())) {
          denied = true;
        } else if ("Allow".equals(st.path("Effect").asText())) {
          allowed = true;
        }
      }
      if (denied || !allowed) {
        return "Action denied by stack policy: ["
            + action
            + "] on resource ["
            + resource
            + "] ("
            + rc.resourceType()
            + ")";
      }
    }
    return null;
  }

  private static boolean matchesAny(JsonNode st, String field, String notField, String value) {
    if (st.has(field)) {
      return anyGlob(st.get(field), value);
    }
    if (st.has(notField)) {
      return !anyGlob(st.get(notField), value);
    }
    return false;
  }

  private static boolean anyGlob(JsonNode patterns, String value) {
    if (patterns.isTextual()) {
      return glob(patterns.asText(), value);
    }
    for (JsonNode p : patterns) {
      if (glob(p.asText(), value)) {
        return true;
      }
    }
    return false;
  }

  private static boolean glob(String pattern, String value) {
    StringBuilder re = new StringBuilder();
    for (char ch : pattern.toCharArray()) {
      if (ch == '*') {
        re.append(".*");
      } else if (ch == '?') {
        re.append('.');
      } else {
        re.append(Pattern.quote(String.valueOf(ch)));
      }
    }
    return value.matches(re.toString());
  }

  private static boolean conditionHolds(JsonNode condition, String resourceType) {
    if (condition.isMissingNode() || condition.isEmpty()) {
      return true;
    }
    Iterator<Map.Entry<String, JsonNode>> ops = condition.fields();
    while (ops.hasNext()) {
      Map.Entry<String, JsonNode> op = ops.next();
      JsonNode values = op.getValue().path("ResourceType");
      if (values.isMissingNode()) {
        continue;
      }
      boolean hit =
          switch (op.getKey()) {
            case "StringEquals" -> textIn(values, resourceType, false);
            case "StringLike" -> textIn(values, resourceType, true);
            case "StringNotEquals" -> !textIn(values, resourceType, false);
            case "StringNotLike" -> !textIn(values, resourceType, true);
            default ->
                throw new UnsupportedOperationException(
                    "CloudFormationEmulator: stack policy condition " + op.getKey());
          };
      if (!hit) {
        return false;
      }
    }
    return true;
  }

  private static boolean textIn(JsonNode values, String v, boolean like) {
    if (values.isTextual()) {
      return like ? glob(values.asText(), v) : values.asText().equals(v);
    }
    for (JsonNode n : values) {
      if (like ? glob(n.asText(), v) : n.asText().equals(v)) {
        return true;
      }
    }
    return false;
  }
}
