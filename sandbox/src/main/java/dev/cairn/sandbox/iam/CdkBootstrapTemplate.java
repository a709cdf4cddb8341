package dev.cairn.sandbox.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The IAM side of {@code cdk bootstrap} in a target account, read from the CDK CLI's own bootstrap
 * template: the copy of {@code aws-cdk@2.1148.1}'s {@code
 * lib/api/bootstrap/bootstrap-template.yaml} (bootstrap version 33; the CLI version {@code
 * cdk/package-lock.json} pins) kept under {@code dev/cairn/sandbox/bootstrap/}, with its parameters
 * as Cairn's deploy order sets them ({@code cdk bootstrap --trust TOOLS}, qualifier {@code
 * bootstrap_qualifier}, every other parameter at its default). Nothing here restates a policy: the
 * trust policies, identity policies and bucket policy are the template's, with its conditions and
 * intrinsic functions resolved.
 *
 * <p>Resolved: {@code Ref} (parameters, pseudo parameters, resources), {@code Fn::Sub}, {@code
 * Fn::If}, {@code Fn::Equals}, {@code Fn::Not}, {@code Fn::And}, {@code Fn::Or}, {@code Condition},
 * {@code Fn::Join} and {@code Fn::GetAtt ... Arn}; {@code AWS::NoValue} removes its element. A
 * resource's physical id is its name property or, for the bucket key, {@code
 * cdk-QUALIFIER-assets-key} (a key id KMS would generate).
 */
public final class CdkBootstrapTemplate {

  /** Where the copy of the template is on the classpath. */
  public static final String RESOURCE = "dev/cairn/sandbox/bootstrap/bootstrap-template.yaml";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern SUB = Pattern.compile("\\$\\{([^}!][^}]*)}");

  /** One role the bootstrap creates. */
  public record Role(String arn, JsonNode trustPolicy, List<JsonNode> identityPolicies) {
    public Role {
      Objects.requireNonNull(arn, "arn");
      Objects.requireNonNull(trustPolicy, "trustPolicy");
      identityPolicies = List.copyOf(identityPolicies);
    }
  }

  /** What one bootstrapped environment holds, as IAM sees it. */
  public record Environment(
      String account,
      String region,
      String qualifier,
      Map<String, Role> roles,
      String bucketName,
      JsonNode bucketPolicy) {
    public Environment {
      roles = Map.copyOf(roles);
    }
  }

  private final JsonNode template;

  private CdkBootstrapTemplate(JsonNode template) {
    this.template = template;
  }

  /** The copy on the classpath. */
  public static CdkBootstrapTemplate fromClasspath() {
    try (InputStream in =
        CdkBootstrapTemplate.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing from the classpath: " + RESOURCE);
      }
      return new CdkBootstrapTemplate(YAML.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code cdk bootstrap aws://ACCOUNT/REGION --trust TRUSTED... [--qualifier QUALIFIER]}.
   *
   * @throws IllegalStateException the template uses an intrinsic function this reader does not
   *     resolve (a newer template: read it before trusting it)
   */
  public Environment bootstrap(
      String account, String region, String qualifier, List<String> trustedAccounts) {
    Resolver r = resolver(account, region, qualifier, trustedAccounts);
    Map<String, Role> roles = new LinkedHashMap<>();
    for (String logicalId : List.of("FilePublishingRole", "ImagePublishingRole")) {
      JsonNode props = resource(logicalId).path("Properties");
      String arn = r.arn(logicalId);
      List<JsonNode> policies =
          resources("AWS::IAM::Policy").entrySet().stream()
              .filter(e -> refersTo(e.getValue().at("/Properties/Roles"), logicalId))
              .map(e -> named(r, e.getValue().path("Properties")))
              .toList();
      roles.put(arn, new Role(arn, r.resolve(props.path("AssumeRolePolicyDocument")), policies));
    }
    return new Environment(
        account,
        region,
        qualifier,
        roles,
        r.physicalId("StagingBucket"),
        r.resolve(resource("StagingBucketPolicy").at("/Properties/PolicyDocument")));
  }

  /** The container-asset repository {@code cdk bootstrap} creates in one environment. */
  public record Repository(String name, String arn, String imageTagMutability) {}

  /**
   * The bootstrap's {@code ContainerAssetsRepository} in one environment: where {@code cdk-assets}
   * pushes image assets, with the tag mutability the template gives it.
   */
  public Repository containerAssetsRepository(String account, String region, String qualifier) {
    Resolver r = resolver(account, region, qualifier, List.of());
    return new Repository(
        r.physicalId("ContainerAssetsRepository"),
        r.arn("ContainerAssetsRepository"),
        resource("ContainerAssetsRepository")
            .at("/Properties/ImageTagMutability")
            .asText("MUTABLE"));
  }

  private Resolver resolver(
      String account, String region, String qualifier, List<String> trustedAccounts) {
    Map<String, JsonNode> parameters = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = template.path("Parameters").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> p = it.next();
      JsonNode def = p.getValue().path("Default");
      parameters.put(
          p.getKey(),
          p.getValue().path("Type").asText().equals("CommaDelimitedList")
              ? list(def.asText(""))
              : TextNode.valueOf(def.asText("")));
    }
    parameters.put("Qualifier", TextNode.valueOf(qualifier));
    parameters.put("TrustedAccounts", list(String.join(",", trustedAccounts)));
    return new Resolver(parameters, account, region, qualifier);
  }

  private static JsonNode named(Resolver r, JsonNode policyProperties) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.set("name", r.resolve(policyProperties.path("PolicyName")));
    o.set("policy", r.resolve(policyProperties.path("PolicyDocument")));
    return o;
  }

  private static boolean refersTo(JsonNode roles, String logicalId) {
    for (JsonNode role : roles) {
      if (logicalId.equals(role.path("Ref").asText())) {
        return true;
      }
    }
    return false;
  }

  private JsonNode resource(String logicalId) {
    JsonNode r = template.path("Resources").path(logicalId);
    if (r.isMissingNode()) {
      throw new IllegalStateException("the bootstrap template has no resource " + logicalId);
    }
    return r;
  }

  private Map<String, JsonNode> resources(String type) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    template
        .path("Resources")
        .fields()
        .forEachRemaining(
            e -> {
              if (type.equals(e.getValue().path("Type").asText())) {
                out.put(e.getKey(), e.getValue());
              }
            });
    return out;
  }

  private static ArrayNode list(String csv) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    if (!csv.isEmpty()) {
      for (String s : csv.split(",")) {
        a.add(s.trim());
      }
    }
    return a;
  }

  /** Resolves the template's intrinsic functions for one environment. */
  private final class Resolver {
    private final Map<String, JsonNode> parameters;
    private final String account;
    private final String region;
    private final String qualifier;

    Resolver(Map<String, JsonNode> parameters, String account, String region, String qualifier) {
      this.parameters = parameters;
      this.account = account;
      this.region = region;
      this.qualifier = qualifier;
    }

    /** The resolved value; null for {@code AWS::NoValue}. */
    JsonNode resolve(JsonNode node) {
      if (node.isArray()) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (JsonNode e : node) {
          JsonNode v = resolve(e);
          if (v != null) {
            out.add(v);
          }
        }
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
            return ref(arg.asText());
          case "Fn::Sub":
            return TextNode.valueOf(sub(arg));
          case "Fn::If":
            return condition(arg.get(0).asText()) ? resolve(arg.get(1)) : resolve(arg.get(2));
          case "Fn::Join":
            {
              StringBuilder b = new StringBuilder();
              JsonNode items = resolve(arg.get(1));
              for (int i = 0; i < items.size(); i++) {
                b.append(i == 0 ? "" : arg.get(0).asText()).append(items.get(i).asText());
              }
              return TextNode.valueOf(b.toString());
            }
          case "Fn::GetAtt":
            {
              JsonNode a = arg.isArray() ? arg : list(arg.asText().replace('.', ','));
              return TextNode.valueOf(getAtt(a.get(0).asText(), a.get(1).asText()));
            }
          default:
            if (fn.startsWith("Fn::")) {
              throw new IllegalStateException("intrinsic " + fn + " is not resolved here");
            }
        }
      }
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = resolve(e.getValue());
        if (v != null) {
          out.set(e.getKey(), v);
        }
      }
      return out;
    }

    boolean condition(String name) {
      JsonNode c = template.path("Conditions").path(name);
      if (c.isMissingNode()) {
        throw new IllegalStateException("the bootstrap template has no condition " + name);
      }
      return truth(c);
    }

    private boolean truth(JsonNode c) {
      String fn = c.fieldNames().next();
      JsonNode arg = c.get(fn);
      return switch (fn) {
        case "Fn::Equals" -> resolve(arg.get(0)).equals(resolve(arg.get(1)));
        case "Fn::Not" -> !truth(arg.get(0));
        case "Fn::And" -> {
          boolean all = true;
          for (JsonNode a : arg) {
            all &= truth(a);
          }
          yield all;
        }
        case "Fn::Or" -> {
          boolean any = false;
          for (JsonNode a : arg) {
            any |= truth(a);
          }
          yield any;
        }
        case "Condition" -> condition(arg.asText());
        default -> throw new IllegalStateException("condition function " + fn + " is not resolved");
      };
    }

    private JsonNode ref(String name) {
      switch (name) {
        case "AWS::AccountId":
          return TextNode.valueOf(account);
        case "AWS::Region":
          return TextNode.valueOf(region);
        case "AWS::Partition":
          return TextNode.valueOf("aws");
        case "AWS::URLSuffix":
          return TextNode.valueOf("amazonaws.com");
        case "AWS::NoValue":
          return null;
        default:
          if (parameters.containsKey(name)) {
            return parameters.get(name);
          }
          return TextNode.valueOf(physicalId(name));
      }
    }

    private String sub(JsonNode arg) {
      String text = arg.isArray() ? arg.get(0).asText() : arg.asText();
      Matcher m = SUB.matcher(text);
      StringBuilder b = new StringBuilder();
      while (m.find()) {
        String name = m.group(1);
        String value;
        if (arg.isArray() && arg.get(1).has(name)) {
          value = resolve(arg.get(1).get(name)).asText();
        } else if (name.contains(".")) {
          value =
              getAtt(name.substring(0, name.indexOf('.')), name.substring(name.indexOf('.') + 1));
        } else {
          JsonNode v = ref(name);
          value = v.isArray() ? String.join(",", v.findValuesAsText("")) : v.asText();
        }
        m.appendReplacement(b, Matcher.quoteReplacement(value));
      }
      m.appendTail(b);
      return b.toString();
    }

    String physicalId(String logicalId) {
      JsonNode r = resource(logicalId);
      JsonNode p = r.path("Properties");
      return switch (r.path("Type").asText()) {
        case "AWS::S3::Bucket" -> resolve(p.path("BucketName")).asText();
        case "AWS::IAM::Role" -> resolve(p.path("RoleName")).asText();
        case "AWS::ECR::Repository" -> resolve(p.path("RepositoryName")).asText();
        case "AWS::KMS::Key" -> "cdk-" + qualifier + "-assets-key";
        default ->
            throw new IllegalStateException(
                logicalId + ": no physical id for " + r.path("Type").asText());
      };
    }

    String arn(String logicalId) {
      return getAtt(logicalId, "Arn");
    }

    private String getAtt(String logicalId, String attribute) {
      if (!attribute.equals("Arn")) {
        throw new IllegalStateException(logicalId + "." + attribute + " is not resolved");
      }
      String id = physicalId(logicalId);
      return switch (resource(logicalId).path("Type").asText()) {
        case "AWS::S3::Bucket" -> "arn:aws:s3:::" + id;
        case "AWS::IAM::Role" -> "arn:aws:iam::" + account + ":role/" + id;
        case "AWS::ECR::Repository" ->
            "arn:aws:ecr:" + region + ":" + account + ":repository/" + id;
        case "AWS::KMS::Key" -> "arn:aws:kms:" + region + ":" + account + ":key/" + id;
        default -> throw new IllegalStateException(logicalId + ": no ARN");
      };
    }
  }
}
