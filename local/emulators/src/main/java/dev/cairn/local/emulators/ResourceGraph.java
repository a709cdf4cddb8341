package dev.cairn.local.emulators;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dependency graph of a template's resources: what a resource depends on ({@code DependsOn},
 * {@code Ref}, {@code Fn::GetAtt}, {@code Fn::Sub} variables), and the order CloudFormation creates
 * them in (deletes go in the reverse order).
 */
final class ResourceGraph {

  private ResourceGraph() {}

  /** The type of a nested stack resource. */
  static final String NESTED_STACK = "AWS::CloudFormation::Stack";

  /** A resource's {@code Type}. */
  static String type(JsonNode resource) {
    return resource.path("Type").asText();
  }

  /**
   * The resources in the order CloudFormation creates them: a resource after those it names in
   * {@code DependsOn}, {@code Ref}, {@code Fn::GetAtt} or {@code Fn::Sub}, otherwise in template
   * order. Deleting goes in the reverse order. A cycle (which CloudFormation refuses at validation)
   * keeps template order for the resources on it.
   */
  static List<String> creationOrder(Map<String, JsonNode> resources) {
    Map<String, Set<String>> deps = new LinkedHashMap<>();
    for (String id : resources.keySet()) {
      deps.put(id, dependencies(resources, id));
    }
    List<String> order = new ArrayList<>();
    Set<String> placed = new HashSet<>();
    while (order.size() < resources.size()) {
      String next = null;
      for (Map.Entry<String, Set<String>> e : deps.entrySet()) {
        if (!placed.contains(e.getKey()) && placed.containsAll(e.getValue())) {
          next = e.getKey();
          break;
        }
      }
      if (next == null) {
        for (String id : deps.keySet()) {
          if (!placed.contains(id)) {
            next = id;
            break;
          }
        }
      }
      order.add(next);
      placed.add(next);
    }
    return order;
  }

  /**
   * The resources {@code id} depends on ({@code DependsOn}, {@code Ref}, {@code Fn::GetAtt}, {@code
   * Fn::Sub}), among {@code resources}.
   */
  static Set<String> dependencies(Map<String, JsonNode> resources, String id) {
    JsonNode resource = resources.get(id);
    Set<String> d = new TreeSet<>();
    JsonNode dependsOn = resource.path("DependsOn");
    if (dependsOn.isTextual()) {
      d.add(dependsOn.asText());
    }
    dependsOn.forEach(n -> d.add(n.asText()));
    references(resource.path("Properties"), d);
    d.retainAll(resources.keySet());
    d.remove(id);
    return d;
  }

  /** A {@code ${name}} variable of {@code Fn::Sub}. */
  static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]+)\\}");

  private static void references(JsonNode node, Set<String> out) {
    if (node.isObject()) {
      if (node.path("Ref").isTextual()) {
        out.add(node.get("Ref").asText());
      }
      JsonNode g = node.path("Fn::GetAtt");
      if (g.isArray() && g.size() > 0) {
        out.add(g.get(0).asText());
      } else if (g.isTextual()) {
        out.add(g.asText().split("\\.", 2)[0]);
      }
      JsonNode sub = node.path("Fn::Sub");
      String text = sub.isTextual() ? sub.asText() : sub.path(0).asText("");
      Matcher m = SUB_VARIABLE.matcher(text);
      while (m.find()) {
        out.add(m.group(1).split("\\.", 2)[0]);
      }
    }
    node.forEach(child -> references(child, out));
  }
}
