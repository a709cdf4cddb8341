package dev.cairn.local.emulators;

import static dev.cairn.local.emulators.IntrinsicResolver.resolve;
import static dev.cairn.local.emulators.ResourceGraph.NESTED_STACK;
import static dev.cairn.local.emulators.ResourceGraph.type;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.cloudformation.model.Output;

/**
 * Intrinsic functions and references, resolved to what a resource handler would see: parameters and
 * pseudo parameters ({@code AWS::AccountId}, {@code AWS::Region}, {@code AWS::Partition}, {@code
 * AWS::URLSuffix}, {@code AWS::StackName}, {@code AWS::StackId}), {@code Ref} to a resource (its
 * physical ID), {@code Fn::GetAtt} ({@link PhysicalIds}, a nested stack's {@code Outputs.<key>}),
 * {@code Fn::ImportValue}, {@code Fn::Sub}, {@code Fn::Split}, {@code Fn::Select} and {@code
 * Fn::Join}. What it cannot resolve stays as written.
 */
final class IntrinsicResolver {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String account;
  private final String region;
  private final StackRegistry registry;
  private final PhysicalIds physical;

  IntrinsicResolver(StackRegistry registry, PhysicalIds physical) {
    this.account = registry.account();
    this.region = registry.region();
    this.registry = registry;
    this.physical = physical;
  }

  /** Replaces {@code {"Ref": "<parameter>"}} with the parameter's value. */
  static JsonNode resolve(JsonNode node, Map<String, String> parameters) {
    if (node == null) {
      return JSON.createObjectNode();
    }
    if (node.isObject()) {
      if (node.size() == 1 && node.has("Ref") && node.get("Ref").isTextual()) {
        String value = parameters.get(node.get("Ref").asText());
        if (value != null) {
          return TextNode.valueOf(value);
        }
      }
      ObjectNode copy = JSON.createObjectNode();
      node.fields().forEachRemaining(e -> copy.set(e.getKey(), resolve(e.getValue(), parameters)));
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = JSON.createArrayNode();
      node.forEach(n -> copy.add(resolve(n, parameters)));
      return copy;
    }
    return node;
  }

  /**
   * The template's resources, {@code {logicalId: resource}}, with parameter {@code Ref}s replaced.
   */
  static Map<String, JsonNode> resourceMap(Template t, Map<String, String> parameters) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    if (t != null) {
      resolve(t.root().get("Resources"), parameters)
          .fields()
          .forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
    }
    return out;
  }

  /**
   * Resolves what a resource handler would see as literals: pseudo parameters, {@code Ref} to a
   * parameter or a resource of the stack (its physical ID), {@code Fn::GetAtt} of {@code Arn} for
   * the types {@link PhysicalIds#arn} knows, and {@code Fn::Join} once its parts are literals.
   * Anything else ({@code Fn::ImportValue}, {@code Fn::Sub}, ...) stays as written.
   */
  JsonNode resolveReferences(
      JsonNode node,
      EmulatedStack stack,
      Map<String, JsonNode> resources,
      Map<String, String> ids,
      Map<String, String> parameters) {
    if (node.isArray()) {
      ArrayNode copy = JSON.createArrayNode();
      node.forEach(n -> copy.add(resolveReferences(n, stack, resources, ids, parameters)));
      return copy;
    }
    if (!node.isObject()) {
      return node;
    }
    if (node.size() == 1 && node.path("Ref").isTextual()) {
      String ref = node.get("Ref").asText();
      String value =
          switch (ref) {
            case "AWS::AccountId" -> account;
            case "AWS::Region" -> region;
            case "AWS::Partition" -> region.startsWith("cn-") ? "aws-cn" : "aws";
            case "AWS::URLSuffix" ->
                region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
            case "AWS::StackName" -> stack.name;
            case "AWS::StackId" -> stack.id;
            default -> parameters.containsKey(ref) ? parameters.get(ref) : ids.get(ref);
          };
      return value == null ? node : TextNode.valueOf(value);
    }
    if (node.size() == 1 && node.has("Fn::GetAtt")) {
      JsonNode g = node.get("Fn::GetAtt");
      String[] parts =
          g.isTextual()
              ? g.asText().split("\\.", 2)
              : new String[] {g.path(0).asText(), g.path(1).asText()};
      if (parts.length == 2 && parts[1].equals("Arn") && ids.containsKey(parts[0])) {
        String arn = physical.arn(type(resources.get(parts[0])), ids.get(parts[0]));
        if (arn != null) {
          return TextNode.valueOf(arn);
        }
      }
      // AWS::KMS::Key's KeyId attribute is the key's ID, its Ref (Template Reference).
      if (parts.length == 2
          && parts[1].equals("KeyId")
          && ids.containsKey(parts[0])
          && type(resources.get(parts[0])).equals("AWS::KMS::Key")) {
        return TextNode.valueOf(ids.get(parts[0]));
      }
      // "You use the GetAtt function with the nested stack's logical name and the name of the
      // output value in the nested stack in the format Outputs.NestedStackOutputName." (Template
      // Reference, AWS::CloudFormation::Stack)
      if (parts.length == 2
          && parts[1].startsWith("Outputs.")
          && resources.containsKey(parts[0])
          && type(resources.get(parts[0])).equals(NESTED_STACK)
          && registry.stacks.containsKey(ids.get(parts[0]))) {
        String key = parts[1].substring("Outputs.".length());
        for (Output o : registry.stacks.get(ids.get(parts[0])).outputs) {
          if (o.outputKey().equals(key)) {
            return TextNode.valueOf(o.outputValue());
          }
        }
      }
      if (parts.length == 2 && ids.containsKey(parts[0])) {
        JsonNode r = resources.get(parts[0]);
        String value =
            physical.attribute(type(r), ids.get(parts[0]), r.path("Properties"), parts[1]);
        if (value != null) {
          return TextNode.valueOf(value);
        }
      }
      return node;
    }
    if (node.size() == 1 && node.has("Fn::ImportValue")) {
      JsonNode name =
          resolveReferences(node.get("Fn::ImportValue"), stack, resources, ids, parameters);
      StackRegistry.StackExport e = name.isTextual() ? registry.exports.get(name.asText()) : null;
      return e == null ? node : TextNode.valueOf(e.value());
    }
    if (node.size() == 1 && node.has("Fn::Sub")) {
      return substitute(node, stack, resources, ids, parameters);
    }
    if (node.size() == 1 && node.path("Fn::Split").isArray()) {
      JsonNode source =
          resolveReferences(node.get("Fn::Split").path(1), stack, resources, ids, parameters);
      String delimiter = node.get("Fn::Split").path(0).asText();
      if (!source.isTextual() || delimiter.isEmpty()) {
        return node;
      }
      ArrayNode parts = JSON.createArrayNode();
      for (String part : source.asText().split(Pattern.quote(delimiter), -1)) {
        parts.add(part);
      }
      return parts;
    }
    if (node.size() == 1 && node.path("Fn::Select").isArray()) {
      JsonNode index =
          resolveReferences(node.get("Fn::Select").path(0), stack, resources, ids, parameters);
      JsonNode list =
          resolveReferences(node.get("Fn::Select").path(1), stack, resources, ids, parameters);
      if (index.isValueNode() && index.asText().matches("\\d+") && list.isArray()) {
        JsonNode item = list.path(Integer.parseInt(index.asText()));
        if (item.isValueNode()) {
          return item;
        }
      }
      return node;
    }
    if (node.size() == 1 && node.path("Fn::Join").isArray()) {
      JsonNode j = node.get("Fn::Join");
      JsonNode items = resolveReferences(j.path(1), stack, resources, ids, parameters);
      List<String> parts = new ArrayList<>();
      for (JsonNode item : items) {
        if (!item.isValueNode()) {
          ObjectNode partial = JSON.createObjectNode();
          partial.set("Fn::Join", JSON.createArrayNode().add(j.path(0)).add(items));
          return partial;
        }
        parts.add(item.asText());
      }
      return TextNode.valueOf(String.join(j.path(0).asText(), parts));
    }
    ObjectNode copy = JSON.createObjectNode();
    node.fields()
        .forEachRemaining(
            e ->
                copy.set(
                    e.getKey(),
                    resolveReferences(e.getValue(), stack, resources, ids, parameters)));
    return copy;
  }

  /**
   * {@code Fn::Sub}, in its string and its {@code [string, {variables}]} forms, when every variable
   * resolves to a literal; otherwise as written. {@code ${!Literal}} stands for {@code ${Literal}}.
   */
  private JsonNode substitute(
      JsonNode node,
      EmulatedStack stack,
      Map<String, JsonNode> resources,
      Map<String, String> ids,
      Map<String, String> parameters) {
    JsonNode sub = node.get("Fn::Sub");
    Map<String, JsonNode> variables = new HashMap<>();
    String text;
    if (sub.isTextual()) {
      text = sub.asText();
    } else if (sub.isArray() && sub.size() == 2 && sub.get(0).isTextual()) {
      text = sub.get(0).asText();
      sub.get(1)
          .fields()
          .forEachRemaining(
              e ->
                  variables.put(
                      e.getKey(),
                      resolveReferences(e.getValue(), stack, resources, ids, parameters)));
    } else {
      return node;
    }
    Matcher m = ResourceGraph.SUB_VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      JsonNode value;
      if (name.startsWith("!")) {
        value = TextNode.valueOf("${" + name.substring(1) + "}");
      } else if (variables.containsKey(name)) {
        value = variables.get(name);
      } else if (name.contains(".")) {
        ObjectNode getAtt = JSON.createObjectNode();
        String[] parts = name.split("\\.", 2);
        getAtt.set("Fn::GetAtt", JSON.createArrayNode().add(parts[0]).add(parts[1]));
        value = resolveReferences(getAtt, stack, resources, ids, parameters);
      } else {
        ObjectNode ref = JSON.createObjectNode().put("Ref", name);
        value = resolveReferences(ref, stack, resources, ids, parameters);
      }
      if (!value.isValueNode()) {
        return node;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value.asText()));
    }
    m.appendTail(out);
    return TextNode.valueOf(out.toString());
  }
}
