package dev.cairn.sandbox.assembly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cairn.core.integrity.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * One stack of Cairn's cloud assembly as CloudFormation would create it in an emulated account:
 * every resource gets the physical id and attributes CloudFormation gives it (the name the template
 * fixes, or a generated {@code stack-LogicalId-SUFFIX} one), and every property is resolved: {@code
 * Ref}, {@code Fn::GetAtt}, {@code Fn::Join}, {@code Fn::Sub}, {@code Fn::Select}, {@code
 * Fn::Split}, {@code Fn::ImportValue} and the pseudo parameters. An intrinsic or attribute this
 * class does not know fails the whole deployment, naming the resource: a template the sandbox
 * cannot read exactly is not run approximately.
 */
public final class DeployedStack {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String stackName;
  private final String account;
  private final String region;
  private final JsonNode template;
  private final Function<String, String> imports;
  private final Map<String, ObjectNode> resolved = new LinkedHashMap<>();
  private final Map<String, String> exports = new LinkedHashMap<>();

  DeployedStack(
      String stackName,
      String account,
      String region,
      JsonNode template,
      Function<String, String> imports) {
    this.stackName = stackName;
    this.account = account;
    this.region = region;
    this.template = template;
    this.imports = imports;
    for (Iterator<String> it = template.path("Resources").fieldNames(); it.hasNext(); ) {
      String id = it.next();
      resolved.put(
          id, (ObjectNode) resolve(template.path("Resources").path(id).path("Properties"), id));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = template.path("Outputs").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> o = it.next();
      if (o.getValue().has("Export")) {
        String name = text(resolve(o.getValue().path("Export").path("Name"), o.getKey()));
        exports.put(name, text(resolve(o.getValue().path("Value"), o.getKey())));
      }
    }
  }

  public String stackName() {
    return stackName;
  }

  public String account() {
    return account;
  }

  public String region() {
    return region;
  }

  /** The stack's {@code Export.Name → value} pairs, for {@code Fn::ImportValue} in later stacks. */
  public Map<String, String> exports() {
    return Map.copyOf(exports);
  }

  /** The logical ids of every resource of {@code type}, in template order. */
  public List<String> resourcesOfType(String type) {
    List<String> ids = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = template.path("Resources").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> r = it.next();
      if (type.equals(r.getValue().path("Type").asText())) {
        ids.add(r.getKey());
      }
    }
    return ids;
  }

  public String type(String logicalId) {
    return resource(logicalId).path("Type").asText();
  }

  /** The resource's properties with every intrinsic resolved. */
  public ObjectNode properties(String logicalId) {
    resource(logicalId);
    return resolved.get(logicalId).deepCopy();
  }

  /** What {@code Ref} returns for the resource, per the CloudFormation resource reference. */
  public String ref(String logicalId) {
    JsonNode r = resource(logicalId);
    String type = r.path("Type").asText();
    JsonNode p = template.path("Resources").path(logicalId).path("Properties");
    return switch (type) {
      case "AWS::S3::Bucket" -> named(p, "BucketName", logicalId, true);
      case "AWS::DynamoDB::Table" -> named(p, "TableName", logicalId, false);
      case "AWS::IAM::Role" -> named(p, "RoleName", logicalId, false);
      case "AWS::IAM::Policy" -> named(p, "PolicyName", logicalId, false);
      case "AWS::IAM::ManagedPolicy" ->
          "arn:aws:iam::" + account + ":policy/" + named(p, "ManagedPolicyName", logicalId, false);
      case "AWS::Lambda::Function" -> named(p, "FunctionName", logicalId, false);
      case "AWS::Lambda::Version" -> functionArn(p.path("FunctionName"), logicalId) + ":1";
      case "AWS::Lambda::Alias" ->
          functionArn(p.path("FunctionName"), logicalId)
              + ":"
              + text(resolve(p.path("Name"), logicalId));
      case "AWS::SNS::Topic" ->
          "arn:aws:sns:" + region + ":" + account + ":" + named(p, "TopicName", logicalId, false);
      case "AWS::SSM::Parameter" -> named(p, "Name", logicalId, false);
      case "AWS::StepFunctions::StateMachine" ->
          "arn:aws:states:"
              + region
              + ":"
              + account
              + ":stateMachine:"
              + named(p, "StateMachineName", logicalId, false);
      case "AWS::Events::EventBus" -> named(p, "Name", logicalId, false);
      case "AWS::Events::Rule" -> named(p, "Name", logicalId, false);
      case "AWS::Logs::LogGroup" -> named(p, "LogGroupName", logicalId, false);
      case "AWS::KMS::Key" -> keyId(logicalId);
      case "AWS::KMS::Alias" -> text(resolve(p.path("AliasName"), logicalId));
      case "AWS::Scheduler::Schedule" -> named(p, "Name", logicalId, false);
      case "AWS::CloudTrail::EventDataStore", "AWS::CloudTrail::Channel" ->
          getAtt(logicalId, type.endsWith("Channel") ? "ChannelArn" : "EventDataStoreArn");
      case "AWS::IAM::OIDCProvider" ->
          "arn:aws:iam::"
              + account
              + ":oidc-provider/"
              + text(resolve(p.path("Url"), logicalId)).replaceFirst("^https://", "");
      default -> generated(logicalId, false);
    };
  }

  /** What {@code Fn::GetAtt} returns, for the attributes Cairn's templates use. */
  public String getAtt(String logicalId, String attribute) {
    String type = type(logicalId);
    String key = type + "." + attribute;
    return switch (key) {
      case "AWS::S3::Bucket.Arn" -> "arn:aws:s3:::" + ref(logicalId);
      case "AWS::DynamoDB::Table.Arn" ->
          "arn:aws:dynamodb:" + region + ":" + account + ":table/" + ref(logicalId);
      case "AWS::IAM::Role.Arn" -> "arn:aws:iam::" + account + ":role/" + ref(logicalId);
      case "AWS::Lambda::Function.Arn" ->
          "arn:aws:lambda:" + region + ":" + account + ":function:" + ref(logicalId);
      case "AWS::KMS::Key.Arn" ->
          "arn:aws:kms:" + region + ":" + account + ":key/" + ref(logicalId);
      case "AWS::Logs::LogGroup.Arn" ->
          "arn:aws:logs:" + region + ":" + account + ":log-group:" + ref(logicalId) + ":*";
      case "AWS::Events::EventBus.Arn" ->
          "arn:aws:events:" + region + ":" + account + ":event-bus/" + ref(logicalId);
      case "AWS::Events::Rule.Arn" ->
          "arn:aws:events:" + region + ":" + account + ":rule/" + ref(logicalId);
      case "AWS::SNS::Topic.TopicArn" -> ref(logicalId);
      case "AWS::SNS::Topic.TopicName" ->
          ref(logicalId).substring(ref(logicalId).lastIndexOf(':') + 1);
      case "AWS::StepFunctions::StateMachine.Arn" -> ref(logicalId);
      case "AWS::StepFunctions::StateMachine.Name" ->
          ref(logicalId).substring(ref(logicalId).lastIndexOf(':') + 1);
      case "AWS::Lambda::Version.Version" -> "1";
      case "AWS::CloudTrail::EventDataStore.EventDataStoreArn" ->
          "arn:aws:cloudtrail:" + region + ":" + account + ":eventdatastore/" + uuid(logicalId);
      case "AWS::CloudTrail::Channel.ChannelArn" ->
          "arn:aws:cloudtrail:" + region + ":" + account + ":channel/" + uuid(logicalId);
      case "AWS::IAM::OIDCProvider.Arn" -> ref(logicalId);
      default ->
          throw new UnsupportedTemplateException(
              stackName
                  + "/"
                  + logicalId
                  + ": Fn::GetAtt "
                  + attribute
                  + " of "
                  + type
                  + " is not modelled by the sandbox");
    };
  }

  // --- resolution ------------------------------------------------------------------------------

  private JsonNode resolve(JsonNode node, String where) {
    if (node.isArray()) {
      ArrayNode out = NODES.arrayNode();
      node.forEach(n -> out.add(resolve(n, where)));
      return out;
    }
    if (!node.isObject()) {
      return node;
    }
    if (node.size() == 1) {
      String fn = node.fieldNames().next();
      JsonNode arg = node.get(fn);
      switch (fn) {
        case "Ref":
          return new TextNode(refOrPseudo(arg.asText(), where));
        case "Fn::GetAtt":
          {
            String id;
            String attr;
            if (arg.isArray()) {
              id = arg.get(0).asText();
              attr = arg.get(1).asText();
            } else {
              String s = arg.asText();
              id = s.substring(0, s.indexOf('.'));
              attr = s.substring(s.indexOf('.') + 1);
            }
            return new TextNode(getAtt(id, attr));
          }
        case "Fn::Join":
          {
            String sep = arg.get(0).asText();
            StringBuilder b = new StringBuilder();
            JsonNode parts = resolve(arg.get(1), where);
            for (int i = 0; i < parts.size(); i++) {
              if (i > 0) {
                b.append(sep);
              }
              b.append(text(parts.get(i)));
            }
            return new TextNode(b.toString());
          }
        case "Fn::ImportValue":
          {
            String name = text(resolve(arg, where));
            String value = imports.apply(name);
            if (value == null) {
              throw new UnsupportedTemplateException(
                  stackName + "/" + where + ": No export named " + name + " found");
            }
            return new TextNode(value);
          }
        case "Fn::Select":
          {
            int index = resolve(arg.get(0), where).asInt();
            return resolve(arg.get(1), where).get(index);
          }
        case "Fn::Split":
          {
            ArrayNode out = NODES.arrayNode();
            String sep = arg.get(0).asText();
            for (String s :
                text(resolve(arg.get(1), where)).split(java.util.regex.Pattern.quote(sep), -1)) {
              out.add(s);
            }
            return out;
          }
        case "Fn::Sub":
          return new TextNode(sub(arg, where));
        default:
          if (fn.startsWith("Fn::") || fn.equals("Condition")) {
            throw new UnsupportedTemplateException(
                stackName + "/" + where + ": " + fn + " is not modelled by the sandbox");
          }
      }
    }
    ObjectNode out = NODES.objectNode();
    node.fields().forEachRemaining(e -> out.set(e.getKey(), resolve(e.getValue(), where)));
    return out;
  }

  private String sub(JsonNode arg, String where) {
    String text = arg.isArray() ? arg.get(0).asText() : arg.asText();
    Map<String, String> vars = new LinkedHashMap<>();
    if (arg.isArray()) {
      arg.get(1)
          .fields()
          .forEachRemaining(e -> vars.put(e.getKey(), text(resolve(e.getValue(), where))));
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (true) {
      int start = text.indexOf("${", i);
      if (start < 0) {
        return out.append(text.substring(i)).toString();
      }
      int end = text.indexOf('}', start);
      out.append(text, i, start);
      String name = text.substring(start + 2, end);
      if (name.startsWith("!")) {
        out.append("${").append(name.substring(1)).append('}');
      } else if (vars.containsKey(name)) {
        out.append(vars.get(name));
      } else if (name.contains(".") && !name.startsWith("AWS::")) {
        out.append(
            getAtt(name.substring(0, name.indexOf('.')), name.substring(name.indexOf('.') + 1)));
      } else {
        out.append(refOrPseudo(name, where));
      }
      i = end + 1;
    }
  }

  private String refOrPseudo(String name, String where) {
    return switch (name) {
      case "AWS::AccountId" -> account;
      case "AWS::Region" -> region;
      case "AWS::Partition" -> "aws";
      case "AWS::URLSuffix" -> "amazonaws.com";
      case "AWS::StackName" -> stackName;
      case "AWS::NoValue" ->
          throw new UnsupportedTemplateException(
              stackName + "/" + where + ": AWS::NoValue is not modelled");
      default -> {
        if (template.path("Parameters").has(name)) {
          JsonNode p = template.path("Parameters").path(name);
          if (p.has("Default")) {
            yield p.get("Default").asText();
          }
          throw new UnsupportedTemplateException(
              stackName + "/" + where + ": parameter " + name + " has no value");
        }
        yield ref(name);
      }
    };
  }

  private JsonNode resource(String logicalId) {
    JsonNode r = template.path("Resources").path(logicalId);
    if (r.isMissingNode()) {
      throw new UnsupportedTemplateException(
          stackName
              + ": Template format error: Unresolved resource dependencies ["
              + logicalId
              + "]");
    }
    return r;
  }

  private String named(JsonNode properties, String field, String logicalId, boolean lowerCase) {
    if (properties.has(field)) {
      return text(resolve(properties.get(field), logicalId));
    }
    return generated(logicalId, lowerCase);
  }

  private String functionArn(JsonNode functionName, String where) {
    String name = text(resolve(functionName, where));
    return name.startsWith("arn:")
        ? name
        : "arn:aws:lambda:" + region + ":" + account + ":function:" + name;
  }

  /** CloudFormation's generated names: stack name, logical id, a 12-character suffix. */
  private String generated(String logicalId, boolean lowerCase) {
    String suffix =
        Sha256.hex((stackName + "/" + logicalId).getBytes(StandardCharsets.UTF_8))
            .substring(0, 12)
            .toUpperCase(Locale.ROOT);
    String name = stackName + "-" + logicalId + "-" + suffix;
    return lowerCase ? name.toLowerCase(Locale.ROOT) : name;
  }

  private String keyId(String logicalId) {
    return uuid(logicalId);
  }

  private String uuid(String logicalId) {
    String h =
        Sha256.hex((account + "/" + stackName + "/" + logicalId).getBytes(StandardCharsets.UTF_8));
    return h.substring(0, 8)
        + "-"
        + h.substring(8, 12)
        + "-"
        + h.substring(12, 16)
        + "-"
        + h.substring(16, 20)
        + "-"
        + h.substring(20, 32);
  }

  static String text(JsonNode n) {
    if (!n.isValueNode()) {
      throw new UnsupportedTemplateException("expected a string, got " + n);
    }
    return n.asText();
  }
}
