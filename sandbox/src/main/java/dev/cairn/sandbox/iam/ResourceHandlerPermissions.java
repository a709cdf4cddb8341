package dev.cairn.sandbox.iam;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The IAM calls CloudFormation's resource handler makes, with the stack's service role, to create,
 * update or delete one resource: what the sandbox records for each resource operation of the
 * CloudFormation emulator, so that the IAM check decides whether the execution role may deploy what
 * the application's templates declare.
 *
 * <p>Source: the {@code handlers.create/update/delete.permissions} of each type's resource provider
 * schema in the CloudFormation registry ({@code aws cloudformation describe-type --type RESOURCE
 * --type-name <type>}). Most types are read from {@value #SCHEMA_PERMISSIONS}, generated from those
 * schemas (see {@link #fromSchema}); the types of {@link #HAND_WRITTEN} are written down here,
 * since the calls their handlers make depend on the properties present. Each hand-written list
 * keeps only the permissions whose resource is identifiable from the resource itself, and only
 * those the handler calls for the properties present (the schema lists every permission any
 * property may need: for example {@code lambda:PutFunctionConcurrency} only with {@code
 * ReservedConcurrentExecutions}). Reads the handler makes to stabilize ({@code lambda:GetFunction},
 * {@code dynamodb:DescribeTable}) are included. Calls with no resource-level permission ({@code
 * ec2:Describe*} for a VPC function, {@code logs:DescribeLogGroups}) are left out: they identify
 * nothing Cairn scopes.
 *
 * <p>An UPDATE is not told the old properties, so it lists every call the update handler makes for
 * the properties present (for a function both {@code UpdateFunctionConfiguration} and {@code
 * UpdateFunctionCode}).
 *
 * <p>A type not listed here is an {@link IllegalArgumentException} naming it: a resource the check
 * cannot judge is never skipped silently. So is a reference the emulator could not resolve where a
 * resource is needed ({@code Fn::ImportValue} in a function's {@code Role}, say).
 */
public final class ResourceHandlerPermissions {

  /** One call: {@code service:Action} on a resource ARN, with the keys the request carries. */
  public record Permission(String action, String resourceArn, Map<String, String> context) {
    public Permission {
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(resourceArn, "resourceArn");
      context = Map.copyOf(context);
    }

    Permission(String action, String resourceArn) {
      this(action, resourceArn, Map.of());
    }
  }

  /** The types with a method of their own below: their calls depend on the properties present. */
  static final List<String> HAND_WRITTEN =
      List.of(
          "AWS::CDK::Metadata",
          "AWS::CloudFormation::CustomResource",
          "AWS::CloudFormation::Stack",
          "AWS::DynamoDB::GlobalTable",
          "AWS::DynamoDB::Table",
          "AWS::IAM::Policy",
          "AWS::IAM::Role",
          "AWS::Lambda::Function",
          "AWS::KMS::Alias",
          "AWS::KMS::Key",
          "AWS::Lambda::Permission",
          "AWS::Logs::LogGroup");

  /**
   * The other types, read from {@value #SCHEMA_PERMISSIONS}: generated from the registry schemas by
   * {@code sandbox/tools/resource-handler-permissions/generate.mjs} (its {@code SOURCE.md} names
   * the inputs), every permission of a handler with the resource IAM authorizes it on.
   */
  static final String SCHEMA_PERMISSIONS =
      "dev/cairn/sandbox/iam/resource-handler-permissions.json";

  private static final JsonNode FROM_SCHEMAS = loadSchemaPermissions();

  /** The types this class knows, for messages and tests. */
  public static final List<String> TYPES = allTypes();

  private static JsonNode loadSchemaPermissions() {
    try (var in =
        ResourceHandlerPermissions.class.getClassLoader().getResourceAsStream(SCHEMA_PERMISSIONS)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + SCHEMA_PERMISSIONS);
      }
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(in).path("types");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(SCHEMA_PERMISSIONS, e);
    }
  }

  private static List<String> allTypes() {
    java.util.TreeSet<String> all = new java.util.TreeSet<>(HAND_WRITTEN);
    FROM_SCHEMAS.fieldNames().forEachRemaining(all::add);
    return List.copyOf(all);
  }

  /**
   * Whether {@link #of} knows {@code resourceType}: one of {@link #TYPES}, or a {@code Custom::*}
   * type, which CloudFormation runs as an {@code AWS::CloudFormation::CustomResource}.
   */
  public static boolean knows(String resourceType) {
    return TYPES.contains(customAsGeneric(resourceType));
  }

  private static String customAsGeneric(String resourceType) {
    return resourceType.startsWith("Custom::")
        ? "AWS::CloudFormation::CustomResource"
        : resourceType;
  }

  private ResourceHandlerPermissions() {}

  /**
   * The permissions boundary IAM knows a role by ARN to carry, for the {@code
   * iam:PermissionsBoundary} key of calls on an existing role ({@code PutRolePolicy} of an {@code
   * AWS::IAM::Policy}, say): the sandbox answers from the roles its stacks created.
   */
  @FunctionalInterface
  public interface RoleBoundaries {
    /** No role is known to carry a boundary. */
    RoleBoundaries NONE = roleArn -> Optional.empty();

    Optional<String> of(String roleArn);
  }

  /** {@link #of(String, String, String, JsonNode, String, String, RoleBoundaries)} knowing none. */
  public static List<Permission> of(
      String resourceType,
      String operation,
      String physicalId,
      JsonNode properties,
      String account,
      String region) {
    return of(
        resourceType, operation, physicalId, properties, account, region, RoleBoundaries.NONE);
  }

  /**
   * The calls the handler of {@code resourceType} makes for {@code operation} ({@code CREATE},
   * {@code UPDATE}, {@code DELETE}) on the resource named {@code physicalId} with {@code
   * properties}, in {@code account} and {@code region}. A call on a role carries {@code
   * iam:PermissionsBoundary}: the boundary the template gives the role, else the one {@code
   * boundaries} knows, else none (the key is then absent, as for a role without a boundary).
   */
  public static List<Permission> of(
      String resourceType,
      String operation,
      String physicalId,
      JsonNode properties,
      String account,
      String region,
      RoleBoundaries boundaries) {
    Op op = Op.valueOf(operation);
    Arns a = new Arns(account, region);
    List<Permission> out = new ArrayList<>();
    switch (customAsGeneric(resourceType)) {
      case "AWS::CDK::Metadata" -> {} // CDK's own bookkeeping: no service is called
      case "AWS::CloudFormation::Stack" -> nestedStack(out, op, physicalId, a);
      case "AWS::CloudFormation::CustomResource" -> customResource(out, resourceType, properties);
      case "AWS::KMS::Key" -> kmsKey(out, op, physicalId, properties, a);
      case "AWS::KMS::Alias" -> kmsAlias(out, op, properties, a);
      case "AWS::DynamoDB::GlobalTable" -> globalTable(out, op, physicalId, properties, a);
      case "AWS::Lambda::Function" -> lambdaFunction(out, op, physicalId, properties, a);
      case "AWS::Lambda::Permission" -> lambdaPermission(out, op, properties, a);
      case "AWS::IAM::Role" -> iamRole(out, op, physicalId, properties, a, boundaries);
      case "AWS::IAM::Policy" -> iamPolicy(out, op, properties, a, boundaries);
      case "AWS::DynamoDB::Table" -> dynamoDbTable(out, op, physicalId, properties, a);
      case "AWS::Logs::LogGroup" -> logGroup(out, op, physicalId, properties, a);
      default -> {
        if (!FROM_SCHEMAS.has(resourceType)) {
          throw new IllegalArgumentException(
              "no resource handler permissions for "
                  + resourceType
                  + " (known: "
                  + TYPES
                  + "): add them from its registry schema");
        }
        fromSchema(out, resourceType, op, physicalId, properties, a, boundaries);
      }
    }
    return List.copyOf(out);
  }

  private static final java.util.regex.Pattern PLACEHOLDER =
      java.util.regex.Pattern.compile("\\{([a-z]+)(?::([A-Za-z]+))?}");

  private static final java.util.regex.Pattern ANY_PRINCIPAL =
      java.util.regex.Pattern.compile("arn:\\{partition}:iam::\\{account}:(role|user|group)/\\*");

  /**
   * Every permission the type's schema lists for {@code op}, on the resource the generator found
   * IAM authorizes it on: {@code *} where the action has no resource-level permission, the resource
   * itself where the action takes its type, any resource of the type the action needs otherwise
   * (the subnet's VPC, say: the schema does not say which).
   *
   * <p>Calls on IAM principals are the exception. A handler acts only on the roles, users and
   * groups the properties name ({@code iam:PassRole} of a task role, {@code iam:AttachRolePolicy}
   * of a managed policy's {@code Roles}): one call per principal named, none without one, with the
   * role's boundary as {@code iam:PermissionsBoundary} as for an {@code AWS::IAM::Policy}. {@code
   * iam:CreateServiceLinkedRole} is left out: a handler calls it only when the account lacks the
   * service's linked role, which an account's administrator creates once, and the execution role's
   * boundary forbids it to create roles outside the stack's prefix.
   */
  private static void fromSchema(
      List<Permission> out,
      String type,
      Op op,
      String physicalId,
      JsonNode p,
      Arns a,
      RoleBoundaries boundaries) {
    for (JsonNode permission : FROM_SCHEMAS.path(type).path(op.name())) {
      String action = permission.path("action").asText();
      String template = permission.path("resource").asText();
      var principal = ANY_PRINCIPAL.matcher(template);
      if (principal.matches()) {
        if (!action.equals("iam:CreateServiceLinkedRole")) {
          for (String arn : principals(principal.group(1), p, a)) {
            Map<String, String> boundary =
                principal.group(1).equals("role")
                    ? boundaries
                        .of(arn)
                        .map(b -> Map.of("iam:PermissionsBoundary", b))
                        .orElse(Map.of())
                    : Map.of();
            out.add(new Permission(action, arn, boundary));
          }
        }
        continue;
      }
      if (template.equals("*")) {
        out.add(new Permission(action, "*"));
      } else if (template.equals(FROM_SCHEMAS.path(type).path("arn").asText())
          && physicalId.startsWith("arn:")) {
        out.add(new Permission(action, physicalId));
      } else {
        resolve(type, template, physicalId, p, a)
            .ifPresent(arn -> out.add(new Permission(action, arn)));
      }
    }
  }

  /**
   * The generator's ARN template filled in, or empty when the properties do not name the resource
   * (a property it takes is absent, or a part is {@code *}): the schema lists every permission any
   * property may need, and the handler calls this one only for a property that names its resource
   * (a state machine's {@code s3:GetObject} only with a {@code DefinitionS3Location}).
   */
  private static Optional<String> resolve(
      String type, String template, String physicalId, JsonNode p, Arns a) {
    var m = PLACEHOLDER.matcher(template);
    StringBuilder arn = new StringBuilder();
    while (m.find()) {
      String value =
          switch (m.group(1)) {
            case "partition" -> a.partition;
            case "region" -> a.region;
            case "account" -> a.account;
            case "id" -> lastSegment(physicalId);
            case "prop" -> {
              JsonNode v = p.path(m.group(2));
              if (v.isMissingNode()) {
                yield null;
              }
              if (!v.isTextual()) {
                throw unresolved(type, m.group(2), v);
              }
              yield lastSegment(v.asText());
            }
            default -> throw new IllegalStateException(type + ": placeholder " + m.group());
          };
      if (value == null) {
        return Optional.empty();
      }
      m.appendReplacement(arn, java.util.regex.Matcher.quoteReplacement(value));
    }
    m.appendTail(arn);
    return arn.indexOf("*") >= 0 ? Optional.empty() : Optional.of(arn.toString());
  }

  /**
   * The principals of {@code kind} ({@code role}, {@code user}, {@code group}) the properties name:
   * every ARN of that kind anywhere in them, and the names in a {@code Roles}, {@code Users} or
   * {@code Groups} list (an {@code AWS::IAM::ManagedPolicy}'s).
   */
  private static java.util.Set<String> principals(String kind, JsonNode p, Arns a) {
    java.util.Set<String> found = new java.util.TreeSet<>();
    arnsOf(kind, p, found);
    String list = Character.toUpperCase(kind.charAt(0)) + kind.substring(1) + "s";
    for (JsonNode name : p.path(list)) {
      if (name.isTextual() && !name.asText().startsWith("arn:")) {
        found.add("arn:" + a.partition + ":iam::" + a.account + ":" + kind + "/" + name.asText());
      }
    }
    return found;
  }

  private static void arnsOf(String kind, JsonNode n, java.util.Set<String> found) {
    if (n.isTextual() && n.asText().matches("arn:[^:]+:iam::\\d{12}:" + kind + "/.+")) {
      found.add(n.asText());
    }
    n.elements().forEachRemaining(e -> arnsOf(kind, e, found));
  }

  /** The name an ARN ends with (a topic's, a cluster's), or the value itself when no ARN. */
  private static String lastSegment(String value) {
    return value.startsWith("arn:")
        ? value.substring(Math.max(value.lastIndexOf('/'), value.lastIndexOf(':')) + 1)
        : value;
  }

  private enum Op {
    CREATE,
    UPDATE,
    DELETE
  }

  // AWS::Lambda::Function (aws-cloudformation-resource-providers-lambda, aws-lambda-function.json):
  // create lambda:CreateFunction, lambda:GetFunction, lambda:PutFunctionConcurrency, iam:PassRole,
  // s3:GetObject, s3:GetObjectVersion, lambda:TagResource, kms:*, ec2:Describe*, ...; update
  // lambda:UpdateFunctionConfiguration, lambda:UpdateFunctionCode, lambda:GetFunction,
  // lambda:PutFunctionConcurrency, lambda:DeleteFunctionConcurrency, iam:PassRole, s3:GetObject,
  // lambda:TagResource, lambda:UntagResource, ...; delete lambda:DeleteFunction,
  // lambda:GetFunction,
  // ec2:DescribeNetworkInterfaces.
  private static void lambdaFunction(List<Permission> out, Op op, String name, JsonNode p, Arns a) {
    String fn = a.function(name);
    if (op == Op.DELETE) {
      out.add(new Permission("lambda:DeleteFunction", fn));
      out.add(new Permission("lambda:GetFunction", fn));
      return;
    }
    if (op == Op.CREATE) {
      out.add(new Permission("lambda:CreateFunction", fn));
    } else {
      out.add(new Permission("lambda:UpdateFunctionConfiguration", fn));
      out.add(new Permission("lambda:UpdateFunctionCode", fn));
    }
    out.add(
        new Permission(
            "iam:PassRole",
            literal(p, "Role", "AWS::Lambda::Function " + name),
            Map.of("iam:PassedToService", "lambda.amazonaws.com")));
    JsonNode code = p.path("Code");
    if (code.has("S3Bucket")) {
      // Lambda reads the deployment package from S3 with the caller's credentials.
      String object =
          "arn:"
              + a.partition
              + ":s3:::"
              + literal(code, "S3Bucket", "AWS::Lambda::Function " + name)
              + "/"
              + literal(code, "S3Key", "AWS::Lambda::Function " + name);
      out.add(new Permission("s3:GetObject", object));
      if (code.has("S3ObjectVersion")) {
        out.add(new Permission("s3:GetObjectVersion", object));
      }
    }
    out.add(new Permission("lambda:GetFunction", fn));
    if (p.has("ReservedConcurrentExecutions")) {
      out.add(new Permission("lambda:PutFunctionConcurrency", fn));
    }
    if (p.has("Tags")) {
      out.add(new Permission("lambda:TagResource", fn));
    }
  }

  // AWS::Lambda::Permission (aws-lambda-permission.json): create lambda:AddPermission; delete
  // lambda:RemovePermission; every property change replaces it.
  private static void lambdaPermission(List<Permission> out, Op op, JsonNode p, Arns a) {
    String target = literal(p, "FunctionName", "AWS::Lambda::Permission");
    String fn = target.startsWith("arn:") ? target : a.function(target);
    out.add(
        new Permission(op == Op.DELETE ? "lambda:RemovePermission" : "lambda:AddPermission", fn));
  }

  // AWS::IAM::Role (aws-cloudformation-resource-providers-iam, aws-iam-role.json): create
  // iam:CreateRole, iam:PutRolePolicy, iam:AttachRolePolicy, iam:GetRolePolicy, iam:TagRole,
  // iam:GetRole; update iam:UpdateRole, iam:UpdateRoleDescription, iam:UpdateAssumeRolePolicy,
  // iam:AttachRolePolicy, iam:DetachRolePolicy, iam:PutRolePolicy, iam:DeleteRolePolicy,
  // iam:PutRolePermissionsBoundary, iam:TagRole, iam:UntagRole, iam:GetRole; delete iam:DeleteRole,
  // iam:DetachRolePolicy, iam:DeleteRolePolicy, iam:GetRole, iam:ListAttachedRolePolicies,
  // iam:ListRolePolicies.
  private static void iamRole(
      List<Permission> out, Op op, String name, JsonNode p, Arns a, RoleBoundaries boundaries) {
    String role = a.role(p.path("Path").asText("/"), name);
    // CreateRole and every policy call on the role are authorized with the role's boundary as
    // iam:PermissionsBoundary: the requested one on create, the role's own afterwards.
    Map<String, String> boundary = new java.util.LinkedHashMap<>();
    if (p.has("PermissionsBoundary")) {
      boundary.put(
          "iam:PermissionsBoundary", literal(p, "PermissionsBoundary", "AWS::IAM::Role " + name));
    } else if (op != Op.CREATE) {
      boundaries.of(role).ifPresent(b -> boundary.put("iam:PermissionsBoundary", b));
    }
    switch (op) {
      case CREATE -> {
        out.add(new Permission("iam:CreateRole", role, boundary));
        if (p.has("PermissionsBoundary")) {
          out.add(new Permission("iam:PutRolePermissionsBoundary", role, boundary));
        }
      }
      case UPDATE -> {
        out.add(new Permission("iam:UpdateRole", role));
        out.add(new Permission("iam:UpdateAssumeRolePolicy", role));
      }
      case DELETE -> {
        out.add(new Permission("iam:ListAttachedRolePolicies", role));
        out.add(new Permission("iam:ListRolePolicies", role));
      }
    }
    for (JsonNode managed : p.path("ManagedPolicyArns")) {
      if (!managed.isTextual()) {
        throw unresolved("AWS::IAM::Role " + name, "ManagedPolicyArns", managed);
      }
      Map<String, String> context = new java.util.LinkedHashMap<>(boundary);
      context.put("iam:PolicyARN", managed.asText());
      out.add(
          new Permission(
              op == Op.DELETE ? "iam:DetachRolePolicy" : "iam:AttachRolePolicy", role, context));
    }
    for (int i = 0; i < p.path("Policies").size(); i++) {
      out.add(
          new Permission(
              op == Op.DELETE ? "iam:DeleteRolePolicy" : "iam:PutRolePolicy", role, boundary));
    }
    if (p.has("Tags") && op != Op.DELETE) {
      out.add(new Permission("iam:TagRole", role));
    }
    out.add(new Permission(op == Op.DELETE ? "iam:DeleteRole" : "iam:GetRole", role));
  }

  // AWS::IAM::Policy (aws-iam-policy.json): create/update iam:PutRolePolicy, iam:PutUserPolicy,
  // iam:PutGroupPolicy, iam:GetRolePolicy, iam:GetUserPolicy, iam:GetGroupPolicy; delete
  // iam:DeleteRolePolicy, iam:DeleteUserPolicy, iam:DeleteGroupPolicy. One call per principal
  // named in Roles, Users and Groups.
  private static void iamPolicy(
      List<Permission> out, Op op, JsonNode p, Arns a, RoleBoundaries boundaries) {
    String what = "AWS::IAM::Policy " + p.path("PolicyName").asText();
    for (String[] kind :
        new String[][] {
          {"Roles", "Role", "role"}, {"Users", "User", "user"}, {"Groups", "Group", "group"}
        }) {
      for (JsonNode n : p.path(kind[0])) {
        if (!n.isTextual()) {
          throw unresolved(what, kind[0], n);
        }
        String arn = "arn:" + a.partition + ":iam::" + a.account + ":" + kind[2] + "/" + n.asText();
        Map<String, String> boundary =
            kind[1].equals("Role")
                ? boundaries.of(arn).map(b -> Map.of("iam:PermissionsBoundary", b)).orElse(Map.of())
                : Map.of();
        if (op == Op.DELETE) {
          out.add(new Permission("iam:Delete" + kind[1] + "Policy", arn, boundary));
        } else {
          out.add(new Permission("iam:Put" + kind[1] + "Policy", arn, boundary));
          out.add(new Permission("iam:Get" + kind[1] + "Policy", arn));
        }
      }
    }
  }

  // AWS::DynamoDB::Table (aws-dynamodb-table.json): create dynamodb:CreateTable,
  // dynamodb:DescribeTable, dynamodb:UpdateContinuousBackups, dynamodb:DescribeContinuousBackups,
  // dynamodb:UpdateTimeToLive, dynamodb:DescribeTimeToLive, dynamodb:TagResource, kms:*,
  // application-autoscaling:*, ...; update dynamodb:UpdateTable, dynamodb:DescribeTable, the same
  // per-feature pairs, dynamodb:UntagResource; delete dynamodb:DeleteTable, dynamodb:DescribeTable.
  private static void dynamoDbTable(List<Permission> out, Op op, String name, JsonNode p, Arns a) {
    String table =
        "arn:" + a.partition + ":dynamodb:" + a.region + ":" + a.account + ":table/" + name;
    if (op == Op.DELETE) {
      out.add(new Permission("dynamodb:DeleteTable", table));
      out.add(new Permission("dynamodb:DescribeTable", table));
      return;
    }
    out.add(
        new Permission(op == Op.CREATE ? "dynamodb:CreateTable" : "dynamodb:UpdateTable", table));
    out.add(new Permission("dynamodb:DescribeTable", table));
    if (p.has("PointInTimeRecoverySpecification")) {
      out.add(new Permission("dynamodb:UpdateContinuousBackups", table));
      out.add(new Permission("dynamodb:DescribeContinuousBackups", table));
    }
    if (p.has("TimeToLiveSpecification")) {
      out.add(new Permission("dynamodb:UpdateTimeToLive", table));
      out.add(new Permission("dynamodb:DescribeTimeToLive", table));
    }
    if (p.has("Tags")) {
      out.add(new Permission("dynamodb:TagResource", table));
    }
  }

  // AWS::Logs::LogGroup (aws-logs-loggroup.json): create logs:CreateLogGroup,
  // logs:PutRetentionPolicy, logs:TagResource, logs:AssociateKmsKey, logs:DescribeLogGroups; update
  // logs:PutRetentionPolicy, logs:DeleteRetentionPolicy, logs:TagResource, logs:UntagResource, ...;
  // delete logs:DeleteLogGroup, logs:DescribeLogGroups.
  private static void logGroup(List<Permission> out, Op op, String name, JsonNode p, Arns a) {
    String group =
        "arn:" + a.partition + ":logs:" + a.region + ":" + a.account + ":log-group:" + name;
    if (op == Op.DELETE) {
      out.add(new Permission("logs:DeleteLogGroup", group));
      return;
    }
    if (op == Op.CREATE) {
      out.add(new Permission("logs:CreateLogGroup", group));
    }
    if (p.has("RetentionInDays")) {
      out.add(new Permission("logs:PutRetentionPolicy", group));
    }
    if (p.has("Tags")) {
      out.add(new Permission("logs:TagResource", group));
    }
  }

  // AWS::CloudFormation::Stack (aws-cloudformation-stack.json): create cloudformation:CreateStack,
  // cloudformation:DescribeStacks; update cloudformation:UpdateStack,
  // cloudformation:DescribeStacks;
  // delete cloudformation:DeleteStack, cloudformation:DescribeStacks. The nested stack's own
  // resources are reported by the emulator as operations of their own.
  private static void nestedStack(List<Permission> out, Op op, String stackId, Arns a) {
    String stack =
        stackId.startsWith("arn:")
            ? stackId
            : "arn:"
                + a.partition
                + ":cloudformation:"
                + a.region
                + ":"
                + a.account
                + ":stack/"
                + stackId
                + "/*";
    out.add(
        new Permission(
            switch (op) {
              case CREATE -> "cloudformation:CreateStack";
              case UPDATE -> "cloudformation:UpdateStack";
              case DELETE -> "cloudformation:DeleteStack";
            },
            stack));
    out.add(new Permission("cloudformation:DescribeStacks", stack));
  }

  // AWS::CloudFormation::CustomResource and Custom::<name> (CloudFormation User Guide, "Custom
  // resources"): CloudFormation sends the request to the ServiceToken, a Lambda function it invokes
  // (lambda:InvokeFunction) or an SNS topic it publishes to (sns:Publish), as the stack's role.
  private static void customResource(List<Permission> out, String type, JsonNode p) {
    String token = literal(p, "ServiceToken", type);
    out.add(
        new Permission(token.contains(":sns:") ? "sns:Publish" : "lambda:InvokeFunction", token));
  }

  // AWS::KMS::Key (aws-cloudformation-resource-providers-kms, aws-kms-key.json): create
  // kms:CreateKey, kms:EnableKeyRotation, kms:DisableKey, kms:TagResource, kms:PutKeyPolicy; update
  // kms:DescribeKey, kms:DisableKey, kms:DisableKeyRotation, kms:EnableKey, kms:EnableKeyRotation,
  // kms:PutKeyPolicy, kms:TagResource, kms:UntagResource, kms:UpdateKeyDescription,
  // kms:ListResourceTags; delete kms:DescribeKey, kms:ScheduleKeyDeletion. CreateKey has no
  // resource type: IAM authorizes it on "*" (Service Authorization Reference, AWS KMS).
  private static void kmsKey(List<Permission> out, Op op, String keyId, JsonNode p, Arns a) {
    String key = a.key(keyId);
    switch (op) {
      case CREATE -> out.add(new Permission("kms:CreateKey", "*"));
      case UPDATE -> {
        out.add(new Permission("kms:DescribeKey", key));
        out.add(new Permission("kms:PutKeyPolicy", key));
        out.add(new Permission("kms:UpdateKeyDescription", key));
      }
      case DELETE -> {
        out.add(new Permission("kms:DescribeKey", key));
        out.add(new Permission("kms:ScheduleKeyDeletion", key));
        return;
      }
    }
    if (p.path("EnableKeyRotation").asBoolean(false)) {
      out.add(new Permission("kms:EnableKeyRotation", key));
    } else if (op == Op.UPDATE) {
      out.add(new Permission("kms:DisableKeyRotation", key));
    }
    if (p.has("Enabled") && !p.path("Enabled").asBoolean(true)) {
      out.add(new Permission("kms:DisableKey", key));
    } else if (op == Op.UPDATE) {
      out.add(new Permission("kms:EnableKey", key));
    }
    if (p.has("Tags")) {
      out.add(new Permission("kms:TagResource", key));
    }
  }

  // AWS::KMS::Alias (aws-kms-alias.json): create kms:CreateAlias; update kms:UpdateAlias; delete
  // kms:DeleteAlias. Each is authorized on the alias and on the key it points to (AWS KMS Developer
  // Guide, "Controlling access to aliases").
  private static void kmsAlias(List<Permission> out, Op op, JsonNode p, Arns a) {
    String what = "AWS::KMS::Alias " + p.path("AliasName").asText();
    String alias =
        "arn:"
            + a.partition
            + ":kms:"
            + a.region
            + ":"
            + a.account
            + ":"
            + literal(p, "AliasName", what);
    String target = literal(p, "TargetKeyId", what);
    String key = target.startsWith("arn:") ? target : a.key(target);
    String action =
        switch (op) {
          case CREATE -> "kms:CreateAlias";
          case UPDATE -> "kms:UpdateAlias";
          case DELETE -> "kms:DeleteAlias";
        };
    out.add(new Permission(action, alias));
    out.add(new Permission(action, key));
  }

  // AWS::DynamoDB::GlobalTable (aws-dynamodb-globaltable.json): create dynamodb:CreateTable,
  // dynamodb:CreateTableReplica, dynamodb:Describe*, dynamodb:UpdateTimeToLive,
  // dynamodb:UpdateContinuousBackups, dynamodb:TagResource, kms:CreateGrant, kms:DescribeKey,
  // kms:Decrypt, kms:ListAliases, iam:CreateServiceLinkedRole, application-autoscaling:*, ...;
  // update dynamodb:UpdateTable, dynamodb:CreateTableReplica, dynamodb:DeleteTableReplica, the same
  // per-feature calls; delete dynamodb:DeleteTable, dynamodb:DeleteTableReplica,
  // dynamodb:DescribeTable. The table is created in the stack's region, then each other replica
  // (CreateTableReplica on the table, CreateTable on the replica's ARN in its region: DynamoDB
  // Developer Guide, "Using IAM with global tables"); a replica encrypted with a customer managed
  // key needs kms:DescribeKey and kms:CreateGrant on it.
  private static void globalTable(List<Permission> out, Op op, String name, JsonNode p, Arns a) {
    String table = a.table(a.region, name);
    if (op == Op.DELETE) {
      for (JsonNode r : p.path("Replicas")) {
        String region = r.path("Region").asText(a.region);
        if (!region.equals(a.region)) {
          out.add(new Permission("dynamodb:DeleteTableReplica", table));
          out.add(new Permission("dynamodb:DeleteTable", a.table(region, name)));
        }
      }
      out.add(new Permission("dynamodb:DeleteTable", table));
      out.add(new Permission("dynamodb:DescribeTable", table));
      return;
    }
    out.add(
        new Permission(op == Op.CREATE ? "dynamodb:CreateTable" : "dynamodb:UpdateTable", table));
    out.add(new Permission("dynamodb:DescribeTable", table));
    for (JsonNode r : p.path("Replicas")) {
      String region = r.path("Region").asText(a.region);
      if (!region.equals(a.region)) {
        out.add(new Permission("dynamodb:CreateTableReplica", table));
        out.add(new Permission("dynamodb:CreateTable", a.table(region, name)));
      }
      JsonNode sse = r.path("SSESpecification");
      if (sse.has("KMSMasterKeyId")) {
        String keyRef = literal(sse, "KMSMasterKeyId", "AWS::DynamoDB::GlobalTable " + name);
        String key = keyRef.startsWith("arn:") ? keyRef : new Arns(a.account, region).key(keyRef);
        out.add(new Permission("kms:DescribeKey", key));
        out.add(new Permission("kms:CreateGrant", key));
      }
    }
    if (p.has("TimeToLiveSpecification")) {
      out.add(new Permission("dynamodb:UpdateTimeToLive", table));
    }
  }

  private static String literal(JsonNode p, String property, String what) {
    JsonNode v = p.path(property);
    if (!v.isTextual()) {
      throw unresolved(what, property, v);
    }
    return v.asText();
  }

  private static IllegalArgumentException unresolved(String what, String property, JsonNode v) {
    return new IllegalArgumentException(
        what + ": " + property + " is not a literal the emulator could resolve: " + v);
  }

  private static final class Arns {
    final String account;
    final String region;
    final String partition;

    Arns(String account, String region) {
      this.account = account;
      this.region = region;
      this.partition = region.startsWith("cn-") ? "aws-cn" : "aws";
    }

    String function(String name) {
      return "arn:" + partition + ":lambda:" + region + ":" + account + ":function:" + name;
    }

    String key(String keyId) {
      return "arn:" + partition + ":kms:" + region + ":" + account + ":key/" + keyId;
    }

    String table(String tableRegion, String name) {
      return "arn:" + partition + ":dynamodb:" + tableRegion + ":" + account + ":table/" + name;
    }

    String role(String path, String name) {
      return "arn:" + partition + ":iam::" + account + ":role" + path + name;
    }
  }
}
