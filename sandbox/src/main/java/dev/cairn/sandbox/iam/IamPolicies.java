package dev.cairn.sandbox.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.sandbox.assembly.ControlPlaneAssembly;
import dev.cairn.sandbox.assembly.ControlPlaneAssembly.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every IAM policy Cairn's synthesized cloud assembly creates, read from the resolved templates and
 * nothing else, so that a recorded call can be evaluated against exactly what would be deployed:
 *
 * <ul>
 *   <li>identity policies per role ARN: {@code AWS::IAM::Policy} (attached through {@code Roles}),
 *       the role's inline {@code Policies}, and {@code ManagedPolicyArns} that name an {@code
 *       AWS::IAM::ManagedPolicy} of the assembly (or a managed policy attached through its own
 *       {@code Roles}). Any other managed policy ARN (an AWS-managed one) is recorded as unknown,
 *       and {@link #request} refuses every call of that role, naming it;
 *   <li>each role's permissions boundary and trust policy;
 *   <li>resource policies: bucket policies, KMS key policies, SNS topic policies, Lambda
 *       permissions (turned into resource-policy statements), and trust policies as the resource
 *       policy of {@code sts:AssumeRole} on the role;
 *   <li>which account owns a resource.
 * </ul>
 *
 * <p>The target accounts' CDK bootstrap (the file- and image-publishing roles with their trust and
 * identity policies, the staging bucket's policy) comes from the CDK CLI's bootstrap template,
 * bootstrapped as the deploy order says ({@link CdkBootstrapTemplate}). Other bootstrap roles
 * (deploy, lookup, execution) are not modelled: no Cairn principal assumes them.
 *
 * <p>Not modelled: SCPs, session policies, S3 Object Lock (see iam-check/README.md).
 */
public final class IamPolicies {

  private static final Pattern BOOTSTRAP_BUCKET =
      Pattern.compile("cdk-([A-Za-z0-9_-]+)-assets-(\\d{12})-([a-z0-9-]+)");
  private static final Pattern ROLE_ARN = Pattern.compile("arn:aws:iam::(\\d{12}):role/(.+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * DynamoDB operations that have no IAM action of their own (Service Authorization Reference,
   * DynamoDB): each item is authorized as the action named here, on its own table.
   */
  private static final Map<String, String> TRANSACTIONS =
      Map.of(
          "dynamodb:TransactWriteItems",
          "dynamodb:PutItem, dynamodb:UpdateItem, dynamodb:DeleteItem or"
              + " dynamodb:ConditionCheckItem",
          "dynamodb:TransactGetItems",
          "dynamodb:GetItem");

  private final Map<String, List<JsonNode>> identityPolicies = new LinkedHashMap<>();
  private final Map<String, List<String>> unknownManagedPolicies = new LinkedHashMap<>();
  private final Map<String, JsonNode> boundaries = new LinkedHashMap<>();
  private final Map<String, JsonNode> trustPolicies = new LinkedHashMap<>();
  private final Map<String, JsonNode> bucketPolicies = new LinkedHashMap<>();
  private final Map<String, String> bucketAccounts = new LinkedHashMap<>();
  private final Map<String, JsonNode> keyPolicies = new LinkedHashMap<>();
  private final Map<String, JsonNode> topicPolicies = new LinkedHashMap<>();
  private final Map<String, ObjectNode> functionPolicies = new LinkedHashMap<>();

  /** The policies of {@code assembly}, as its templates state them. */
  public IamPolicies(ControlPlaneAssembly assembly) {
    Objects.requireNonNull(assembly, "assembly");
    Map<String, ManagedPolicy> managed = new LinkedHashMap<>();
    for (Resource m : assembly.resources("AWS::IAM::ManagedPolicy")) {
      String arn = m.physicalId();
      managed.put(
          arn,
          new ManagedPolicy(
              arn.substring(arn.lastIndexOf('/') + 1), document(m, "PolicyDocument")));
    }
    for (Resource r : assembly.resources("AWS::IAM::Role")) {
      String arn = r.stack().getAtt(r.logicalId(), "Arn");
      identityPolicies.put(arn, new ArrayList<>());
      unknownManagedPolicies.put(arn, new ArrayList<>());
      trustPolicies.put(arn, document(r, "AssumeRolePolicyDocument"));
      for (JsonNode inline : r.properties().path("Policies")) {
        identityPolicies
            .get(arn)
            .add(named(inline.path("PolicyName").asText(), inline.path("PolicyDocument")));
      }
      for (JsonNode policyArn : r.properties().path("ManagedPolicyArns")) {
        ManagedPolicy m = managed.get(policyArn.asText());
        if (m == null) {
          unknownManagedPolicies.get(arn).add(policyArn.asText());
        } else {
          identityPolicies.get(arn).add(named(m.name(), m.document()));
        }
      }
      if (r.properties().has("PermissionsBoundary")) {
        String boundaryArn = r.properties().get("PermissionsBoundary").asText();
        ManagedPolicy m = managed.get(boundaryArn);
        if (m == null) {
          throw new IllegalStateException(
              arn + ": permissions boundary " + boundaryArn + " is not a policy of the assembly");
        }
        boundaries.put(arn, m.document());
      }
    }
    for (Resource p : assembly.resources("AWS::IAM::Policy")) {
      attach(p, p.properties().path("PolicyName").asText(), document(p, "PolicyDocument"));
    }
    for (Resource m : assembly.resources("AWS::IAM::ManagedPolicy")) {
      ManagedPolicy policy = managed.get(m.physicalId());
      attach(m, policy.name(), policy.document());
    }
    for (Resource b : assembly.resources("AWS::S3::Bucket")) {
      bucketAccounts.put(b.physicalId(), b.stack().account());
    }
    for (Resource p : assembly.resources("AWS::S3::BucketPolicy")) {
      bucketPolicies.put(p.properties().path("Bucket").asText(), document(p, "PolicyDocument"));
    }
    for (Resource k : assembly.resources("AWS::KMS::Key")) {
      keyPolicies.put(k.stack().getAtt(k.logicalId(), "Arn"), document(k, "KeyPolicy"));
    }
    for (Resource t : assembly.resources("AWS::SNS::TopicPolicy")) {
      for (JsonNode topic : t.properties().path("Topics")) {
        topicPolicies.put(topic.asText(), document(t, "PolicyDocument"));
      }
    }
    for (Resource p : assembly.resources("AWS::Lambda::Permission")) {
      addLambdaPermission(p);
    }
    // The target accounts are bootstrapped as the deploy order says (cdk bootstrap --trust
    // TOOLS, qualifier bootstrap_qualifier): their publishing roles and bucket policies are the
    // bootstrap template's.
    String qualifier = bootstrapQualifier(assembly);
    for (dev.cairn.sandbox.assembly.DeployedStack target : assembly.stacks()) {
      if (target.stackName().startsWith("CairnTarget")) {
        addCdkBootstrap(
            bootstrapTemplate.bootstrap(
                target.account(), target.region(), qualifier, List.of(toolsAccount(assembly))));
      }
    }
  }

  private final CdkBootstrapTemplate bootstrapTemplate = CdkBootstrapTemplate.fromClasspath();

  /** Adds what {@code cdk bootstrap} created in one environment: its roles and bucket policy. */
  private void addCdkBootstrap(CdkBootstrapTemplate.Environment env) {
    for (CdkBootstrapTemplate.Role role : env.roles().values()) {
      identityPolicies.put(role.arn(), new ArrayList<>(role.identityPolicies()));
      unknownManagedPolicies.put(role.arn(), new ArrayList<>());
      trustPolicies.put(role.arn(), role.trustPolicy());
    }
    bucketAccounts.put(env.bucketName(), env.account());
    bucketPolicies.put(env.bucketName(), env.bucketPolicy());
  }

  private static String toolsAccount(ControlPlaneAssembly assembly) {
    return assembly.stack("CairnControlPlane").account();
  }

  /** The control-plane configuration's {@code bootstrap_qualifier} (CDK's default otherwise). */
  private static String bootstrapQualifier(ControlPlaneAssembly assembly) {
    for (Resource p : assembly.resources("AWS::SSM::Parameter")) {
      String value = p.properties().path("Value").asText("");
      if (value.contains("bootstrap_qualifier")) {
        JsonNode q = parse(value).findValue("bootstrap_qualifier");
        if (q != null && q.isTextual()) {
          return q.asText();
        }
      }
    }
    return "hnb659fds";
  }

  private record ManagedPolicy(String name, JsonNode document) {}

  /** Attaches a policy to each role its {@code Roles} names (role names, in its own account). */
  private void attach(Resource policy, String name, JsonNode document) {
    for (JsonNode role : policy.properties().path("Roles")) {
      String arn = "arn:aws:iam::" + policy.stack().account() + ":role/" + role.asText();
      List<JsonNode> policies = identityPolicies.get(arn);
      if (policies == null) {
        throw new IllegalStateException(
            policy.stack().stackName()
                + "/"
                + policy.logicalId()
                + " is attached to "
                + arn
                + ", which is not a role of the assembly");
      }
      policies.add(named(name, document));
    }
  }

  /**
   * One {@code AWS::Lambda::Permission} as the statement Lambda adds to the function's resource
   * policy: the principal (a service, or an account or ARN), the action, and {@code SourceArn} /
   * {@code SourceAccount} as conditions.
   */
  private void addLambdaPermission(Resource p) {
    ObjectNode props = p.properties();
    String function = props.path("FunctionName").asText();
    String functionArn =
        function.startsWith("arn:")
            ? function
            : "arn:aws:lambda:"
                + p.stack().region()
                + ":"
                + p.stack().account()
                + ":function:"
                + function;
    ObjectNode statement = JSON.createObjectNode();
    statement.put("Sid", p.logicalId());
    statement.put("Effect", "Allow");
    String principal = props.path("Principal").asText();
    if (principal.matches("\\d{12}")) {
      statement.putObject("Principal").put("AWS", "arn:aws:iam::" + principal + ":root");
    } else if (principal.startsWith("arn:") || principal.equals("*")) {
      statement.putObject("Principal").put("AWS", principal);
    } else {
      statement.putObject("Principal").put("Service", principal);
    }
    statement.put("Action", props.path("Action").asText());
    statement.put("Resource", functionArn);
    ObjectNode condition = JSON.createObjectNode();
    if (props.has("SourceArn")) {
      condition.putObject("ArnLike").put("aws:SourceArn", props.get("SourceArn").asText());
    }
    if (props.has("SourceAccount")) {
      condition
          .putObject("StringEquals")
          .put("aws:SourceAccount", props.get("SourceAccount").asText());
    }
    if (!condition.isEmpty()) {
      statement.set("Condition", condition);
    }
    ObjectNode policy =
        functionPolicies.computeIfAbsent(
            functionArn,
            arn -> {
              ObjectNode doc = JSON.createObjectNode();
              doc.put("Version", "2012-10-17");
              doc.putArray("Statement");
              return doc;
            });
    ((ArrayNode) policy.get("Statement")).add(statement);
  }

  /**
   * Adds a principal the assembly does not create, with {@code policy} as its one identity policy:
   * a local sandbox's operator, whose own permissions are the account's, not Cairn's (resource
   * policies still apply to its calls).
   */
  public IamPolicies withPrincipal(String roleArn, String policyName, JsonNode policy) {
    if (identityPolicies.containsKey(roleArn)) {
      throw new IllegalArgumentException(roleArn + " is a role of the assembly");
    }
    identityPolicies.put(roleArn, List.of(named(policyName, policy)));
    unknownManagedPolicies.put(roleArn, List.of());
    return this;
  }

  /** Every role of the assembly, by ARN. */
  public List<String> roles() {
    return List.copyOf(identityPolicies.keySet());
  }

  /**
   * The role's identity policies, each as {@code {"name": ..., "policy": {...}}}.
   *
   * @throws IllegalArgumentException the role is not in the assembly
   */
  public List<JsonNode> identityPolicies(String roleArn) {
    List<JsonNode> policies = identityPolicies.get(roleArn);
    if (policies == null) {
      throw new IllegalArgumentException("the assembly has no role " + roleArn);
    }
    return List.copyOf(policies);
  }

  /** Managed policy ARNs the role names that are not in the assembly (AWS-managed policies). */
  public List<String> unknownManagedPolicies(String roleArn) {
    identityPolicies(roleArn);
    return List.copyOf(unknownManagedPolicies.get(roleArn));
  }

  /** The role's permissions boundary document; null when it has none. */
  public JsonNode boundary(String roleArn) {
    identityPolicies(roleArn);
    return boundaries.get(roleArn);
  }

  /** The role's trust policy ({@code AssumeRolePolicyDocument}). */
  public JsonNode trustPolicy(String roleArn) {
    identityPolicies(roleArn);
    return trustPolicies.get(roleArn);
  }

  /**
   * These policies and the key policies of the keys the user's stacks created ({@link
   * KeyPolicyRegistry}): KMS authorizes a call on a key against the key's own policy first.
   */
  public IamPolicies withKeyPolicies(Map<String, JsonNode> deployed) {
    deployed.forEach(keyPolicies::putIfAbsent);
    return this;
  }

  /** These policies knowing the owners of the buckets the user's stacks created. */
  public IamPolicies withBucketAccounts(Map<String, String> deployed) {
    deployed.forEach(bucketAccounts::putIfAbsent);
    return this;
  }

  /**
   * The policy of the resource the call acts on; null when it has none. For {@code sts:AssumeRole*}
   * on a role of the assembly, its trust policy; for S3, the bucket policy of the bucket (CDK
   * bootstrap buckets: the bootstrap template's {@code StagingBucketPolicy}); KMS key policies, SNS
   * topic policies and Lambda permissions by the exact ARN.
   */
  public JsonNode resourcePolicy(String resourceArn, String action) {
    if (action.startsWith("sts:AssumeRole")) {
      return trustPolicies.get(resourceArn);
    }
    if (resourceArn.startsWith("arn:aws:s3:::")) {
      String bucket = bucketOf(resourceArn);
      if (bucketPolicies.containsKey(bucket)) {
        return bucketPolicies.get(bucket);
      }
      Matcher bootstrap = BOOTSTRAP_BUCKET.matcher(bucket);
      if (bootstrap.matches()) {
        // Another environment's bootstrap bucket: the same template, bootstrapped alike.
        return bootstrapTemplate
            .bootstrap(bootstrap.group(2), bootstrap.group(3), bootstrap.group(1), List.of())
            .bucketPolicy();
      }
      return null;
    }
    if (resourceArn.startsWith("arn:aws:kms:")) {
      return keyPolicies.get(resourceArn);
    }
    if (resourceArn.startsWith("arn:aws:sns:")) {
      return topicPolicies.get(resourceArn);
    }
    if (resourceArn.startsWith("arn:aws:lambda:")) {
      return functionPolicies.get(resourceArn);
    }
    return null;
  }

  /**
   * The account that owns {@code arn}: the account field of the ARN; for S3, the account of the
   * stack that creates the bucket, or the account in a CDK bootstrap bucket's name.
   *
   * @throws IllegalArgumentException a bucket neither in the assembly nor a CDK bootstrap bucket,
   *     or an ARN without an account
   */
  public String accountOf(String arn) {
    if (arn.startsWith("arn:aws:s3:::")) {
      String bucket = bucketOf(arn);
      String account = bucketAccounts.get(bucket);
      if (account != null) {
        return account;
      }
      Matcher bootstrap = BOOTSTRAP_BUCKET.matcher(bucket);
      if (bootstrap.matches()) {
        return bootstrap.group(2);
      }
      throw new IllegalArgumentException(
          "bucket " + bucket + " is neither in the assembly nor a CDK bootstrap bucket");
    }
    String[] parts = arn.split(":", 6);
    if (parts.length < 6 || !parts[0].equals("arn") || !parts[4].matches("\\d{12}")) {
      throw new IllegalArgumentException("no account in " + arn);
    }
    return parts[4];
  }

  /**
   * The complete request for one recorded call: the caller's identity policies and boundary, the
   * resource's policy and account, and the call's context with {@code aws:SecureTransport=true} and
   * {@code aws:PrincipalArn}.
   *
   * @throws IllegalArgumentException the caller is not a role of the assembly, or the action is
   *     {@code dynamodb:TransactWriteItems} / {@code TransactGetItems}, which IAM authorizes per
   *     item (record a {@code PutItem}, {@code UpdateItem}, ... call per item instead)
   * @throws IllegalStateException the caller has a managed policy that is not in the assembly: its
   *     grants are unknown, so no decision about its calls can be trusted
   */
  public IamRequest request(RecordedCall call) {
    if (TRANSACTIONS.containsKey(call.action())) {
      throw new IllegalArgumentException(
          call.action()
              + " is an API operation, not an IAM action: IAM authorizes each item of the"
              + " transaction as "
              + TRANSACTIONS.get(call.action())
              + " on that item's table, so record one call per item");
    }
    String role = call.principalArn();
    List<JsonNode> policies = identityPolicies(role);
    List<String> unknown = unknownManagedPolicies.get(role);
    if (!unknown.isEmpty()) {
      throw new IllegalStateException(
          call.action()
              + " by "
              + role
              + " depends on managed policies the assembly does not contain: "
              + unknown);
    }
    // An API Gateway ARN names no account: a request addresses the caller's own APIs. An
    // AWS-owned resource (a CloudFormation transform, account "aws") has no resource policy: the
    // caller's own policies decide, as for a resource of its account.
    String resourceAccount =
        call.resourceArn().equals("*")
                || call.resourceArn().startsWith("arn:aws:apigateway:")
                || call.resourceArn().matches("arn:[^:]+:[^:]+:[^:]*:aws:.*")
            ? call.principalAccount()
            : accountOf(call.resourceArn());
    Map<String, String> context = new LinkedHashMap<>(call.context());
    context.putIfAbsent("aws:SecureTransport", "true");
    context.putIfAbsent("aws:PrincipalArn", role);
    return new IamRequest(
        role,
        call.action(),
        call.resourceArn(),
        resourceAccount,
        policies,
        boundaries.get(role),
        resourcePolicy(call.resourceArn(), call.action()),
        context);
  }

  private static String bucketOf(String s3Arn) {
    String rest = s3Arn.substring("arn:aws:s3:::".length());
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }

  private static JsonNode document(Resource r, String property) {
    JsonNode d = r.properties().path(property);
    if (!d.isObject()) {
      throw new IllegalStateException(
          r.stack().stackName() + "/" + r.logicalId() + ": " + property + " is not a document");
    }
    return d;
  }

  private static JsonNode named(String name, JsonNode policy) {
    ObjectNode n = JSON.createObjectNode();
    n.put("name", name);
    n.set("policy", policy);
    return n;
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
