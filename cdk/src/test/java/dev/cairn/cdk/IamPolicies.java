package dev.cairn.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Walks every IAM policy document of a synthesized template. */
final class IamPolicies {
  private IamPolicies() {}

  /** A statement with the role (logical id) or policy it belongs to. */
  record Owned(String owner, JsonNode statement) {
    List<String> actions() {
      return strings(statement.get("Action"));
    }

    List<String> resources() {
      return strings(statement.get("Resource"));
    }

    boolean allows() {
      return "Allow".equals(statement.path("Effect").asText());
    }
  }

  static List<Owned> statements(JsonNode template) {
    List<Owned> out = new ArrayList<>();
    var it = template.get("Resources").fields();
    while (it.hasNext()) {
      var e = it.next();
      String type = e.getValue().get("Type").asText();
      JsonNode props = e.getValue().get("Properties");
      if ("AWS::IAM::Role".equals(type)) {
        for (JsonNode p : props.path("Policies")) {
          p.at("/PolicyDocument/Statement").forEach(st -> out.add(new Owned(e.getKey(), st)));
        }
      } else if ("AWS::IAM::Policy".equals(type) || "AWS::IAM::ManagedPolicy".equals(type)) {
        props.at("/PolicyDocument/Statement").forEach(st -> out.add(new Owned(e.getKey(), st)));
      }
    }
    return out;
  }

  static List<Owned> statementsOf(JsonNode template, String ownerLogicalId) {
    return statements(template).stream().filter(o -> o.owner().equals(ownerLogicalId)).toList();
  }

  static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node == null || node.isMissingNode()) {
      return out;
    }
    if (node.isArray()) {
      node.forEach(n -> out.add(n.isTextual() ? n.asText() : n.toString()));
    } else {
      out.add(node.isTextual() ? node.asText() : node.toString());
    }
    return out;
  }
}
