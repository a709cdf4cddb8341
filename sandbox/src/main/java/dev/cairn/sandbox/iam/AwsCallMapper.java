package dev.cairn.sandbox.iam;

import dev.cairn.sandbox.CallLog;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.cloudformation.model.CreateChangeSetRequest;
import software.amazon.awssdk.services.cloudformation.model.DeleteChangeSetRequest;
import software.amazon.awssdk.services.cloudformation.model.DeleteStackRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeChangeSetRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackEventsRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeStacksRequest;
import software.amazon.awssdk.services.cloudformation.model.DetectStackDriftRequest;
import software.amazon.awssdk.services.cloudformation.model.ExecuteChangeSetRequest;
import software.amazon.awssdk.services.cloudformation.model.GetStackPolicyRequest;
import software.amazon.awssdk.services.cloudformation.model.GetTemplateRequest;
import software.amazon.awssdk.services.cloudformation.model.ListChangeSetsRequest;
import software.amazon.awssdk.services.cloudformation.model.SetStackPolicyRequest;
import software.amazon.awssdk.services.cloudtraildata.model.PutAuditEventsRequest;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmHistoryRequest;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsRequest;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.codebuild.model.BatchGetBuildsRequest;
import software.amazon.awssdk.services.codebuild.model.StartBuildRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.ecr.model.BatchGetImageRequest;
import software.amazon.awssdk.services.ecr.model.DescribeImagesRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetBucketVersioningRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRetentionRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRetentionRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionRequest;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryRequest;
import software.amazon.awssdk.services.sfn.model.ListExecutionsRequest;
import software.amazon.awssdk.services.sfn.model.StartExecutionRequest;
import software.amazon.awssdk.services.sfn.model.StopExecutionRequest;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;
import software.amazon.awssdk.services.ssm.model.GetParametersRequest;
import software.amazon.awssdk.services.ssm.model.PutParameterRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;

/**
 * Turns one recorded AWS call into the call(s) IAM authorizes for it: the IAM action, the concrete
 * resource ARN and the condition keys the request itself carries, as the Service Authorization
 * Reference ("Actions, resources, and condition keys for ...") lists them.
 *
 * <p>One API call may be several authorizations: a DynamoDB transaction is authorized per item, a
 * batch per table, {@code CopyObject} as a read of the source and a write of the destination, a
 * {@code CreateChangeSet} with a service role also as {@code iam:PassRole}. An operation not in the
 * table is an {@link IllegalArgumentException}, never skipped: a call the mapper does not know
 * would escape the IAM check.
 *
 * <p>Resources without an account in the request (a table name, a parameter name, a stack name) are
 * in the caller's account and region, passed in: the tools account for the control plane's roles,
 * the target account for the roles the deployer assumes there. The partition is {@code aws}.
 */
public final class AwsCallMapper {

  /** The event bus PutEvents writes to when an entry names none. */
  static final String DEFAULT_EVENT_BUS = "default";

  /**
   * The stack ID in a stack ARN. Policies match {@code stack/NAME/*}; an evaluated request needs a
   * concrete ARN, and the sandbox's stacks have no real ID.
   */
  static final String SANDBOX_STACK_ID = "sandbox";

  /**
   * The IAM calls for {@code call}.
   *
   * @param region the region the caller's client calls
   * @param account the caller's account (from its role ARN): where named resources live
   * @return the calls to check, possibly none ({@code sts:GetCallerIdentity} needs no permission)
   * @throws IllegalArgumentException the operation is not mapped, or its request lacks what the
   *     mapping needs (for example a stack name)
   */
  public List<RecordedCall> map(CallLog.Call call, String region, String account) {
    Objects.requireNonNull(call, "call");
    Objects.requireNonNull(call.request(), "call.request");
    if (region == null || !region.matches("[a-z]{2}(-[a-z]+)+-\\d")) {
      throw new IllegalArgumentException("region must be like eu-west-1, got " + region);
    }
    if (account == null || !account.matches("\\d{12}")) {
      throw new IllegalArgumentException("account must be 12 digits, got " + account);
    }
    Caller c = new Caller(call, region, account);
    List<RecordedCall> out =
        switch (call.service()) {
          case "DynamoDb" -> dynamoDb(c);
          case "S3" -> s3(c);
          case "Sts" -> sts(c);
          case "Ssm" -> ssm(c);
          case "Sns" -> sns(c);
          case "EventBridge" -> eventBridge(c);
          case "Sfn" -> sfn(c);
          case "CloudFormation" -> cloudFormation(c);
          case "CloudWatch" -> cloudWatch(c);
          case "CodeBuild" -> codeBuild(c);
          case "Ecr" -> ecr(c);
          case "CloudTrailData" -> cloudTrailData(c);
          case "Lambda" -> lambda(c);
          case "Kms" -> kms(c);
          default -> throw c.unmapped();
        };
    return List.copyOf(out);
  }

  // ---------------------------------------------------------------------------------------------
  // DynamoDB: arn:aws:dynamodb:REGION:ACCOUNT:table/NAME[/index/INDEX]

  private static List<RecordedCall> dynamoDb(Caller c) {
    return switch (c.operation()) {
      case "GetItem" ->
          c.one("dynamodb:GetItem", table(c, c.request(GetItemRequest.class).tableName()));
      case "PutItem" ->
          c.one("dynamodb:PutItem", table(c, c.request(PutItemRequest.class).tableName()));
      case "UpdateItem" ->
          c.one("dynamodb:UpdateItem", table(c, c.request(UpdateItemRequest.class).tableName()));
      case "DeleteItem" ->
          c.one("dynamodb:DeleteItem", table(c, c.request(DeleteItemRequest.class).tableName()));
      // The metadata export schedule's universal target: the table's action, and the export's
      // writes to the bucket, which DynamoDB makes with the caller's permissions.
      case "ExportTableToPointInTime" -> {
        var e =
            c.request(
                software.amazon.awssdk.services.dynamodb.model.ExportTableToPointInTimeRequest
                    .class);
        List<RecordedCall> out = new java.util.ArrayList<>();
        out.addAll(c.one("dynamodb:ExportTableToPointInTime", table(c, e.tableArn())));
        out.add(
            new RecordedCall(
                c.call().principalArn(),
                "s3:PutObject",
                "arn:aws:s3:::"
                    + e.s3Bucket()
                    + "/"
                    + (e.s3Prefix() == null ? "" : e.s3Prefix())
                    + "AWSDynamoDB/export",
                Map.of()));
        yield out;
      }
      case "DescribeTable" ->
          c.one(
              "dynamodb:DescribeTable",
              table(c, c.request(DescribeTableRequest.class).tableName()));
      case "Query" -> {
        QueryRequest q = c.request(QueryRequest.class);
        yield c.one("dynamodb:Query", index(c, q.tableName(), q.indexName()));
      }
      case "Scan" -> {
        ScanRequest s = c.request(ScanRequest.class);
        yield c.one("dynamodb:Scan", index(c, s.tableName(), s.indexName()));
      }
      // Transactions are authorized per item, as the item's own action on the item's table; there
      // is no dynamodb:TransactWriteItems / TransactGetItems action (IamPolicies.request refuses
      // them).
      case "TransactWriteItems" ->
          c.request(TransactWriteItemsRequest.class).transactItems().stream()
              .map(i -> transactWrite(c, i))
              .toList();
      case "TransactGetItems" ->
          c.request(TransactGetItemsRequest.class).transactItems().stream()
              .map(i -> c.call("dynamodb:GetItem", table(c, i.get().tableName())))
              .toList();
      // Batches are their own actions (dynamodb:BatchGetItem / BatchWriteItem), once per table.
      case "BatchGetItem" ->
          perTable(
              c,
              "dynamodb:BatchGetItem",
              c.request(BatchGetItemRequest.class).requestItems().keySet());
      case "BatchWriteItem" ->
          perTable(
              c,
              "dynamodb:BatchWriteItem",
              c.request(BatchWriteItemRequest.class).requestItems().keySet());
      default -> throw c.unmapped();
    };
  }

  private static RecordedCall transactWrite(Caller c, TransactWriteItem i) {
    if (i.put() != null) {
      return c.call("dynamodb:PutItem", table(c, i.put().tableName()));
    }
    if (i.update() != null) {
      return c.call("dynamodb:UpdateItem", table(c, i.update().tableName()));
    }
    if (i.delete() != null) {
      return c.call("dynamodb:DeleteItem", table(c, i.delete().tableName()));
    }
    if (i.conditionCheck() != null) {
      return c.call("dynamodb:ConditionCheckItem", table(c, i.conditionCheck().tableName()));
    }
    throw new IllegalArgumentException("DynamoDb TransactWriteItems: an item with no action: " + i);
  }

  private static List<RecordedCall> perTable(Caller c, String action, Collection<String> tables) {
    return tables.stream().map(t -> c.call(action, table(c, t))).toList();
  }

  /** DynamoDB accepts a table ARN wherever it takes a table name. */
  private static String table(Caller c, String tableName) {
    String name = c.require(tableName, "TableName");
    return name.startsWith("arn:")
        ? name
        : "arn:aws:dynamodb:" + c.region() + ":" + c.account() + ":table/" + name;
  }

  private static String index(Caller c, String tableName, String indexName) {
    String t = table(c, tableName);
    return indexName == null ? t : t + "/index/" + indexName;
  }

  // ---------------------------------------------------------------------------------------------
  // S3: arn:aws:s3:::BUCKET (bucket actions), arn:aws:s3:::BUCKET/KEY (object actions).
  // ExpectedBucketOwner is not an IAM condition key (s3:ResourceAccount is the resource's account,
  // which the evaluator derives from the bucket), so it is ignored.

  private static List<RecordedCall> s3(Caller c) {
    return switch (c.operation()) {
      case "PutObject" -> {
        PutObjectRequest r = c.request(PutObjectRequest.class);
        Map<String, String> context =
            writeContext(
                r.aclAsString(),
                r.serverSideEncryptionAsString(),
                r.ssekmsKeyId(),
                r.storageClassAsString(),
                r.objectLockModeAsString(),
                r.objectLockRetainUntilDate(),
                r.objectLockLegalHoldStatusAsString());
        conditionalWrite(context, r.ifMatch(), r.ifNoneMatch());
        yield c.one("s3:PutObject", object(c, r.bucket(), r.key()), context);
      }
      case "GetObject" -> {
        GetObjectRequest r = c.request(GetObjectRequest.class);
        yield c.one(
            r.versionId() == null ? "s3:GetObject" : "s3:GetObjectVersion",
            object(c, r.bucket(), r.key()));
      }
      // HEAD needs the same permission as GET.
      case "HeadObject" -> {
        HeadObjectRequest r = c.request(HeadObjectRequest.class);
        yield c.one(
            r.versionId() == null ? "s3:GetObject" : "s3:GetObjectVersion",
            object(c, r.bucket(), r.key()));
      }
      case "CopyObject" -> copyObject(c);
      case "DeleteObject" -> {
        DeleteObjectRequest r = c.request(DeleteObjectRequest.class);
        String object = object(c, r.bucket(), r.key());
        List<RecordedCall> calls = new ArrayList<>();
        calls.add(
            c.call(r.versionId() == null ? "s3:DeleteObject" : "s3:DeleteObjectVersion", object));
        if (Boolean.TRUE.equals(r.bypassGovernanceRetention())) {
          calls.add(c.call("s3:BypassGovernanceRetention", object));
        }
        yield calls;
      }
      case "ListObjectsV2" -> {
        ListObjectsV2Request r = c.request(ListObjectsV2Request.class);
        yield c.one(
            "s3:ListBucket",
            bucket(c, r.bucket()),
            listContext(r.prefix(), r.delimiter(), r.maxKeys()));
      }
      case "ListObjects" -> {
        ListObjectsRequest r = c.request(ListObjectsRequest.class);
        yield c.one(
            "s3:ListBucket",
            bucket(c, r.bucket()),
            listContext(r.prefix(), r.delimiter(), r.maxKeys()));
      }
      case "ListObjectVersions" -> {
        ListObjectVersionsRequest r = c.request(ListObjectVersionsRequest.class);
        yield c.one(
            "s3:ListBucketVersions",
            bucket(c, r.bucket()),
            listContext(r.prefix(), r.delimiter(), r.maxKeys()));
      }
      // HeadBucket has no action of its own: it is authorized as s3:ListBucket.
      case "HeadBucket" ->
          c.one("s3:ListBucket", bucket(c, c.request(HeadBucketRequest.class).bucket()));
      // cdk-assets asks where a bootstrap bucket is and how it is encrypted before it uploads.
      case "GetBucketLocation" ->
          c.one(
              "s3:GetBucketLocation",
              bucket(
                  c,
                  c.request(software.amazon.awssdk.services.s3.model.GetBucketLocationRequest.class)
                      .bucket()));
      case "GetBucketEncryption" ->
          c.one(
              "s3:GetEncryptionConfiguration",
              bucket(
                  c,
                  c.request(
                          software.amazon.awssdk.services.s3.model.GetBucketEncryptionRequest.class)
                      .bucket()));
      case "GetBucketVersioning" ->
          c.one(
              "s3:GetBucketVersioning",
              bucket(c, c.request(GetBucketVersioningRequest.class).bucket()));
      // A multipart upload is authorized as s3:PutObject; the object's headers (encryption, Object
      // Lock) travel on CreateMultipartUpload, the conditional-write headers on Complete.
      case "CreateMultipartUpload" -> {
        CreateMultipartUploadRequest r = c.request(CreateMultipartUploadRequest.class);
        yield c.one(
            "s3:PutObject",
            object(c, r.bucket(), r.key()),
            writeContext(
                r.aclAsString(),
                r.serverSideEncryptionAsString(),
                r.ssekmsKeyId(),
                r.storageClassAsString(),
                r.objectLockModeAsString(),
                r.objectLockRetainUntilDate(),
                r.objectLockLegalHoldStatusAsString()));
      }
      case "UploadPart" -> {
        UploadPartRequest r = c.request(UploadPartRequest.class);
        yield c.one("s3:PutObject", object(c, r.bucket(), r.key()));
      }
      case "CompleteMultipartUpload" -> {
        CompleteMultipartUploadRequest r = c.request(CompleteMultipartUploadRequest.class);
        Map<String, String> context = new LinkedHashMap<>();
        conditionalWrite(context, r.ifMatch(), r.ifNoneMatch());
        yield c.one("s3:PutObject", object(c, r.bucket(), r.key()), context);
      }
      case "AbortMultipartUpload" -> {
        AbortMultipartUploadRequest r = c.request(AbortMultipartUploadRequest.class);
        yield c.one("s3:AbortMultipartUpload", object(c, r.bucket(), r.key()));
      }
      case "PutObjectRetention" -> {
        PutObjectRetentionRequest r = c.request(PutObjectRetentionRequest.class);
        String object = object(c, r.bucket(), r.key());
        Map<String, String> context = new LinkedHashMap<>();
        if (r.retention() != null) {
          putIfSet(context, "s3:object-lock-mode", r.retention().modeAsString());
          putIfSet(context, "s3:object-lock-retain-until-date", r.retention().retainUntilDate());
        }
        // Not set: s3:object-lock-remaining-retention-days, which depends on the time of the call
        // (the mapper has no clock).
        List<RecordedCall> calls = new ArrayList<>();
        calls.add(c.call("s3:PutObjectRetention", object, context));
        if (Boolean.TRUE.equals(r.bypassGovernanceRetention())) {
          calls.add(c.call("s3:BypassGovernanceRetention", object));
        }
        yield calls;
      }
      case "GetObjectRetention" -> {
        GetObjectRetentionRequest r = c.request(GetObjectRetentionRequest.class);
        yield c.one("s3:GetObjectRetention", object(c, r.bucket(), r.key()));
      }
      default -> throw c.unmapped();
    };
  }

  private static List<RecordedCall> copyObject(Caller c) {
    CopyObjectRequest r = c.request(CopyObjectRequest.class);
    String sourceBucket = r.sourceBucket();
    String sourceKey = r.sourceKey();
    String sourceVersion = r.sourceVersionId();
    if (sourceBucket == null && r.copySource() != null) {
      // The deprecated form: URL-encoded "bucket/key[?versionId=V]", optionally with a leading "/".
      String source = r.copySource().startsWith("/") ? r.copySource().substring(1) : r.copySource();
      int query = source.indexOf("?versionId=");
      if (query >= 0) {
        sourceVersion = URLDecoder.decode(source.substring(query + 11), StandardCharsets.UTF_8);
        source = source.substring(0, query);
      }
      int slash = source.indexOf('/');
      if (slash > 0) {
        sourceBucket = source.substring(0, slash);
        sourceKey = URLDecoder.decode(source.substring(slash + 1), StandardCharsets.UTF_8);
      }
    }
    RecordedCall read =
        c.call(
            sourceVersion == null ? "s3:GetObject" : "s3:GetObjectVersion",
            object(c, sourceBucket, sourceKey));
    // Not set: s3:x-amz-copy-source and s3:x-amz-metadata-directive (unsure of the exact value
    // format the evaluator would compare against).
    Map<String, String> context =
        writeContext(
            r.aclAsString(),
            r.serverSideEncryptionAsString(),
            r.ssekmsKeyId(),
            r.storageClassAsString(),
            r.objectLockModeAsString(),
            r.objectLockRetainUntilDate(),
            r.objectLockLegalHoldStatusAsString());
    conditionalWrite(context, r.ifMatch(), r.ifNoneMatch());
    RecordedCall write =
        c.call("s3:PutObject", object(c, r.destinationBucket(), r.destinationKey()), context);
    return List.of(read, write);
  }

  /** The condition keys of the headers a new object version is written with. */
  private static Map<String, String> writeContext(
      String acl,
      String serverSideEncryption,
      String kmsKeyId,
      String storageClass,
      String objectLockMode,
      Instant objectLockRetainUntil,
      String objectLockLegalHold) {
    Map<String, String> context = new LinkedHashMap<>();
    putIfSet(context, "s3:x-amz-acl", acl);
    putIfSet(context, "s3:x-amz-server-side-encryption", serverSideEncryption);
    putIfSet(context, "s3:x-amz-server-side-encryption-aws-kms-key-id", kmsKeyId);
    putIfSet(context, "s3:x-amz-storage-class", storageClass);
    putIfSet(context, "s3:object-lock-mode", objectLockMode);
    putIfSet(context, "s3:object-lock-retain-until-date", objectLockRetainUntil);
    putIfSet(context, "s3:object-lock-legal-hold", objectLockLegalHold);
    return context;
  }

  /** The conditional-write keys (S3, 2024): the If-Match / If-None-Match headers' values. */
  private static void conditionalWrite(
      Map<String, String> context, String ifMatch, String ifNoneMatch) {
    putIfSet(context, "s3:if-match", ifMatch);
    putIfSet(context, "s3:if-none-match", ifNoneMatch);
  }

  private static Map<String, String> listContext(String prefix, String delimiter, Integer maxKeys) {
    Map<String, String> context = new LinkedHashMap<>();
    putIfSet(context, "s3:prefix", prefix);
    putIfSet(context, "s3:delimiter", delimiter);
    putIfSet(context, "s3:max-keys", maxKeys);
    return context;
  }

  private static String bucket(Caller c, String bucket) {
    String b = c.require(bucket, "Bucket");
    if (b.startsWith("arn:")) {
      // An access point or Outposts ARN: authorized on the access point, not mapped here.
      throw new IllegalArgumentException(
          "S3 " + c.operation() + ": access point ARNs as Bucket are not mapped: " + b);
    }
    return "arn:aws:s3:::" + b;
  }

  private static String object(Caller c, String bucket, String key) {
    return bucket(c, bucket) + "/" + c.require(key, "Key");
  }

  // ---------------------------------------------------------------------------------------------
  // STS

  private static List<RecordedCall> sts(Caller c) {
    return switch (c.operation()) {
      case "AssumeRole" -> {
        AssumeRoleRequest r = c.request(AssumeRoleRequest.class);
        String role = c.require(r.roleArn(), "RoleArn");
        Map<String, String> context = new LinkedHashMap<>();
        putIfSet(context, "sts:RoleSessionName", r.roleSessionName());
        putIfSet(context, "sts:ExternalId", r.externalId());
        putIfSet(context, "sts:SourceIdentity", r.sourceIdentity());
        List<RecordedCall> calls = new ArrayList<>();
        calls.add(c.call("sts:AssumeRole", role, context));
        // Session tags and a source identity are separate permissions on the same role.
        if (r.hasTags() && !r.tags().isEmpty()) {
          calls.add(c.call("sts:TagSession", role));
        }
        if (r.sourceIdentity() != null) {
          calls.add(c.call("sts:SetSourceIdentity", role));
        }
        yield calls;
      }
      // Needs no permission: an explicit deny cannot stop it.
      case "GetCallerIdentity" -> List.of();
      default -> throw c.unmapped();
    };
  }

  // ---------------------------------------------------------------------------------------------
  // SSM: arn:aws:ssm:REGION:ACCOUNT:parameter/NAME (a leading "/" of the name is not doubled)

  private static List<RecordedCall> ssm(Caller c) {
    return switch (c.operation()) {
      case "GetParameter" ->
          c.one("ssm:GetParameter", parameter(c, c.request(GetParameterRequest.class).name()));
      // One authorization per parameter named.
      case "GetParameters" ->
          c.request(GetParametersRequest.class).names().stream()
              .map(n -> c.call("ssm:GetParameters", parameter(c, n)))
              .toList();
      case "PutParameter" -> {
        PutParameterRequest r = c.request(PutParameterRequest.class);
        Map<String, String> context = new LinkedHashMap<>();
        // ssm:Overwrite is listed for PutParameter in the reference; its value when Overwrite is
        // absent is unclear, so it is set only when the request carries it.
        putIfSet(context, "ssm:Overwrite", r.overwrite());
        yield c.one("ssm:PutParameter", parameter(c, r.name()), context);
      }
      default -> throw c.unmapped();
    };
  }

  private static String parameter(Caller c, String name) {
    String n = c.require(name, "Name");
    if (n.startsWith("arn:")) {
      return n;
    }
    // A selector (name:version or name:label) is not part of the parameter's ARN.
    int selector = n.indexOf(':');
    if (selector >= 0) {
      n = n.substring(0, selector);
    }
    return "arn:aws:ssm:"
        + c.region()
        + ":"
        + c.account()
        + ":parameter/"
        + (n.startsWith("/") ? n.substring(1) : n);
  }

  // ---------------------------------------------------------------------------------------------
  // KMS: arn:aws:kms:REGION:ACCOUNT:key/ID. The MAC operations authorize on the key and carry
  // kms:MacAlgorithm. An alias is resolved by KMS before authorization; callers here name the key.

  private static List<RecordedCall> kms(Caller c) {
    return switch (c.operation()) {
      case "GenerateMac" -> {
        var r = c.request(software.amazon.awssdk.services.kms.model.GenerateMacRequest.class);
        yield c.one(
            "kms:GenerateMac",
            keyArn(c, r.keyId()),
            Map.of("kms:MacAlgorithm", r.macAlgorithmAsString()));
      }
      case "VerifyMac" -> {
        var r = c.request(software.amazon.awssdk.services.kms.model.VerifyMacRequest.class);
        yield c.one(
            "kms:VerifyMac",
            keyArn(c, r.keyId()),
            Map.of("kms:MacAlgorithm", r.macAlgorithmAsString()));
      }
      case "Sign" -> {
        var r = c.request(software.amazon.awssdk.services.kms.model.SignRequest.class);
        Map<String, String> context = new LinkedHashMap<>();
        putIfSet(context, "kms:SigningAlgorithm", r.signingAlgorithmAsString());
        putIfSet(context, "kms:MessageType", r.messageTypeAsString());
        yield c.one("kms:Sign", keyArn(c, r.keyId()), context);
      }
      case "GetPublicKey" ->
          c.one(
              "kms:GetPublicKey",
              keyArn(
                  c,
                  c.request(software.amazon.awssdk.services.kms.model.GetPublicKeyRequest.class)
                      .keyId()));
      default -> throw c.unmapped();
    };
  }

  private static String keyArn(Caller c, String keyId) {
    if (keyId != null && keyId.startsWith("arn:aws:kms:") && keyId.contains(":key/")) {
      return keyId;
    }
    throw new IllegalArgumentException(
        "Kms "
            + c.operation()
            + ": only key ARNs are mapped (aliases resolve in KMS), got "
            + keyId);
  }

  // ---------------------------------------------------------------------------------------------
  // SNS

  private static List<RecordedCall> sns(Caller c) {
    return switch (c.operation()) {
      case "Publish" -> {
        PublishRequest r = c.request(PublishRequest.class);
        if (r.topicArn() == null) {
          // Publishing to a phone number or a platform endpoint is authorized differently.
          throw new IllegalArgumentException(
              "Sns Publish: only publishes to a topic are mapped, got " + r);
        }
        yield c.one("sns:Publish", r.topicArn());
      }
      default -> throw c.unmapped();
    };
  }

  // ---------------------------------------------------------------------------------------------
  // EventBridge: arn:aws:events:REGION:ACCOUNT:event-bus/NAME

  private static List<RecordedCall> eventBridge(Caller c) {
    return switch (c.operation()) {
      case "PutEvents" -> {
        // events:source and events:detail-type are multivalued keys (every entry's value); the
        // recorded context holds one value per key, so there is one call per distinct (bus,
        // source, detail-type): the request is allowed iff each of them is.
        Set<List<String>> distinct = new LinkedHashSet<>();
        for (PutEventsRequestEntry e : c.request(PutEventsRequest.class).entries()) {
          distinct.add(
              List.of(
                  eventBus(c, e.eventBusName()),
                  Objects.toString(e.source(), ""),
                  Objects.toString(e.detailType(), "")));
        }
        List<RecordedCall> calls = new ArrayList<>();
        for (List<String> d : distinct) {
          Map<String, String> context = new LinkedHashMap<>();
          putIfSet(context, "events:source", d.get(1).isEmpty() ? null : d.get(1));
          putIfSet(context, "events:detail-type", d.get(2).isEmpty() ? null : d.get(2));
          calls.add(c.call("events:PutEvents", d.get(0), context));
        }
        yield calls;
      }
      default -> throw c.unmapped();
    };
  }

  private static String eventBus(Caller c, String nameOrArn) {
    if (nameOrArn != null && nameOrArn.startsWith("arn:")) {
      return nameOrArn;
    }
    String name = nameOrArn == null || nameOrArn.isEmpty() ? DEFAULT_EVENT_BUS : nameOrArn;
    return "arn:aws:events:" + c.region() + ":" + c.account() + ":event-bus/" + name;
  }

  // ---------------------------------------------------------------------------------------------
  // Step Functions: the request carries the state machine or execution ARN.

  // Lambda: arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]. Invoking an alias or version
  // is authorized on the qualified ARN.

  private static List<RecordedCall> lambda(Caller c) {
    return switch (c.operation()) {
      case "Invoke" -> {
        InvokeRequest r = c.request(InvokeRequest.class);
        yield c.one(
            "lambda:InvokeFunction",
            lambdaFunctionArn(
                c.require(r.functionName(), "functionName"),
                r.qualifier(),
                c.region(),
                c.account()));
      }
      default -> throw c.unmapped();
    };
  }

  /**
   * The ARN Lambda resolves {@code FunctionName} (a name, {@code name:qualifier}, a partial ARN
   * {@code ACCOUNT:function:name} or a full ARN) and {@code Qualifier} to.
   */
  public static String lambdaFunctionArn(
      String functionName, String qualifier, String region, String account) {
    if (functionName == null || functionName.isBlank()) {
      throw new IllegalArgumentException("FunctionName is required");
    }
    String arn;
    if (functionName.startsWith("arn:")) {
      arn = functionName;
    } else if (functionName.contains(":function:")) {
      arn = "arn:aws:lambda:" + region + ":" + functionName;
    } else {
      arn = "arn:aws:lambda:" + region + ":" + account + ":function:" + functionName;
    }
    if (qualifier != null && !qualifier.isBlank()) {
      // arn:aws:lambda:REGION:ACCOUNT:function:NAME has 7 parts; an 8th is already a qualifier.
      if (arn.split(":").length > 7) {
        throw new IllegalArgumentException(
            "FunctionName " + functionName + " already has a qualifier; Qualifier " + qualifier);
      }
      arn = arn + ":" + qualifier;
    }
    return arn;
  }

  private static List<RecordedCall> sfn(Caller c) {
    return switch (c.operation()) {
      case "StartExecution" ->
          c.one(
              "states:StartExecution",
              c.require(
                  c.request(StartExecutionRequest.class).stateMachineArn(), "stateMachineArn"));
      case "DescribeExecution" ->
          c.one(
              "states:DescribeExecution",
              c.require(c.request(DescribeExecutionRequest.class).executionArn(), "executionArn"));
      case "StopExecution" ->
          c.one(
              "states:StopExecution",
              c.require(c.request(StopExecutionRequest.class).executionArn(), "executionArn"));
      case "GetExecutionHistory" ->
          c.one(
              "states:GetExecutionHistory",
              c.require(
                  c.request(GetExecutionHistoryRequest.class).executionArn(), "executionArn"));
      case "ListExecutions" -> {
        ListExecutionsRequest r = c.request(ListExecutionsRequest.class);
        // Either a state machine or, for a Distributed Map's child executions, a map run.
        yield c.one(
            "states:ListExecutions",
            r.mapRunArn() != null
                ? r.mapRunArn()
                : c.require(r.stateMachineArn(), "stateMachineArn"));
      }
      default -> throw c.unmapped();
    };
  }

  // ---------------------------------------------------------------------------------------------
  // CloudFormation: arn:aws:cloudformation:REGION:ACCOUNT:stack/NAME/ID, ID = SANDBOX_STACK_ID

  private static List<RecordedCall> cloudFormation(Caller c) {
    return switch (c.operation()) {
      case "CreateChangeSet" -> {
        CreateChangeSetRequest r = c.request(CreateChangeSetRequest.class);
        String stack = stack(c, r.stackName());
        Map<String, String> context = new LinkedHashMap<>();
        putIfSet(context, "cloudformation:ChangeSetName", r.changeSetName());
        putIfSet(context, "cloudformation:RoleArn", r.roleARN());
        putIfSet(context, "cloudformation:TemplateUrl", r.templateURL());
        List<RecordedCall> calls = new ArrayList<>();
        calls.add(c.call("cloudformation:CreateChangeSet", stack, context));
        calls.addAll(passRole(c, r.roleARN()));
        yield calls;
      }
      case "DescribeChangeSet" -> {
        DescribeChangeSetRequest r = c.request(DescribeChangeSetRequest.class);
        yield changeSet(c, "cloudformation:DescribeChangeSet", r.stackName(), r.changeSetName());
      }
      case "ExecuteChangeSet" -> {
        ExecuteChangeSetRequest r = c.request(ExecuteChangeSetRequest.class);
        yield changeSet(c, "cloudformation:ExecuteChangeSet", r.stackName(), r.changeSetName());
      }
      case "DeleteChangeSet" -> {
        DeleteChangeSetRequest r = c.request(DeleteChangeSetRequest.class);
        yield changeSet(c, "cloudformation:DeleteChangeSet", r.stackName(), r.changeSetName());
      }
      case "ListChangeSets" ->
          c.one(
              "cloudformation:ListChangeSets",
              stack(c, c.request(ListChangeSetsRequest.class).stackName()));
      // Without a stack name DescribeStacks lists every stack: resource "*".
      case "DescribeStacks" -> {
        String name = c.request(DescribeStacksRequest.class).stackName();
        yield c.one("cloudformation:DescribeStacks", name == null ? "*" : stack(c, name));
      }
      case "DescribeStackEvents" ->
          c.one(
              "cloudformation:DescribeStackEvents",
              stack(c, c.request(DescribeStackEventsRequest.class).stackName()));
      case "DeleteStack" -> {
        DeleteStackRequest r = c.request(DeleteStackRequest.class);
        Map<String, String> context = new LinkedHashMap<>();
        putIfSet(context, "cloudformation:RoleArn", r.roleARN());
        List<RecordedCall> calls = new ArrayList<>();
        calls.add(c.call("cloudformation:DeleteStack", stack(c, r.stackName()), context));
        calls.addAll(passRole(c, r.roleARN()));
        yield calls;
      }
      case "GetTemplate" ->
          c.one(
              "cloudformation:GetTemplate",
              stack(c, c.request(GetTemplateRequest.class).stackName()));
      case "SetStackPolicy" -> {
        SetStackPolicyRequest r = c.request(SetStackPolicyRequest.class);
        Map<String, String> context = new LinkedHashMap<>();
        putIfSet(context, "cloudformation:StackPolicyUrl", r.stackPolicyURL());
        yield c.one("cloudformation:SetStackPolicy", stack(c, r.stackName()), context);
      }
      case "UpdateTerminationProtection" ->
          c.one(
              "cloudformation:UpdateTerminationProtection",
              stack(
                  c,
                  c.request(
                          software.amazon.awssdk.services.cloudformation.model
                              .UpdateTerminationProtectionRequest.class)
                      .stackName()));
      case "GetStackPolicy" ->
          c.one(
              "cloudformation:GetStackPolicy",
              stack(c, c.request(GetStackPolicyRequest.class).stackName()));
      case "DetectStackDrift" ->
          c.one(
              "cloudformation:DetectStackDrift",
              stack(c, c.request(DetectStackDriftRequest.class).stackName()));
      // The request names a detection ID, not a stack; the reference lists no resource type.
      case "DescribeStackDriftDetectionStatus" ->
          c.one("cloudformation:DescribeStackDriftDetectionStatus", "*");
      default -> throw c.unmapped();
    };
  }

  /** The change set actions are authorized on the stack, with the change set's name as a key. */
  private static List<RecordedCall> changeSet(
      Caller c, String action, String stackName, String changeSetName) {
    if (stackName == null) {
      // A change set ARN alone does not name its stack.
      throw new IllegalArgumentException(
          "CloudFormation " + c.operation() + ": StackName is required to map the call");
    }
    Map<String, String> context = new LinkedHashMap<>();
    if (changeSetName != null && !changeSetName.startsWith("arn:")) {
      context.put("cloudformation:ChangeSetName", changeSetName);
    }
    return c.one(action, stack(c, stackName), context);
  }

  /** Handing CloudFormation a service role is also iam:PassRole on that role. */
  private static List<RecordedCall> passRole(Caller c, String roleArn) {
    if (roleArn == null) {
      return List.of();
    }
    return c.one(
        "iam:PassRole", roleArn, Map.of("iam:PassedToService", "cloudformation.amazonaws.com"));
  }

  /** A stack name or stack ID (ARN). */
  private static String stack(Caller c, String stackName) {
    String name = c.require(stackName, "StackName");
    return name.startsWith("arn:")
        ? name
        : "arn:aws:cloudformation:"
            + c.region()
            + ":"
            + c.account()
            + ":stack/"
            + name
            + "/"
            + SANDBOX_STACK_ID;
  }

  // ---------------------------------------------------------------------------------------------
  // CloudWatch

  private static List<RecordedCall> cloudWatch(Caller c) {
    return switch (c.operation()) {
      case "DescribeAlarms" -> {
        DescribeAlarmsRequest r = c.request(DescribeAlarmsRequest.class);
        if (!r.hasAlarmNames() || r.alarmNames().isEmpty()) {
          // Unsure: by prefix or all alarms; no single alarm ARN is named, so "*".
          yield c.one("cloudwatch:DescribeAlarms", "*");
        }
        // One authorization per alarm named, on arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME.
        yield r.alarmNames().stream()
            .map(
                n ->
                    c.call(
                        "cloudwatch:DescribeAlarms",
                        "arn:aws:cloudwatch:" + c.region() + ":" + c.account() + ":alarm:" + n))
            .toList();
      }
      case "DescribeAlarmHistory" -> {
        String name = c.request(DescribeAlarmHistoryRequest.class).alarmName();
        // Without AlarmName the history of every alarm is read: no single alarm ARN, so "*".
        yield c.one(
            "cloudwatch:DescribeAlarmHistory",
            name == null
                ? "*"
                : "arn:aws:cloudwatch:" + c.region() + ":" + c.account() + ":alarm:" + name);
      }
      case "PutMetricData" -> {
        PutMetricDataRequest r = c.request(PutMetricDataRequest.class);
        Map<String, String> context = new LinkedHashMap<>();
        putIfSet(context, "cloudwatch:namespace", r.namespace());
        yield c.one("cloudwatch:PutMetricData", "*", context);
      }
      default -> throw c.unmapped();
    };
  }

  // ---------------------------------------------------------------------------------------------
  // CodeBuild: arn:aws:codebuild:REGION:ACCOUNT:project/NAME

  private static List<RecordedCall> codeBuild(Caller c) {
    return switch (c.operation()) {
      case "StartBuild" ->
          c.one(
              "codebuild:StartBuild", project(c, c.request(StartBuildRequest.class).projectName()));
      case "ListBuildsForProject" ->
          c.one(
              "codebuild:ListBuildsForProject",
              project(
                  c,
                  c.request(
                          software.amazon.awssdk.services.codebuild.model
                              .ListBuildsForProjectRequest.class)
                      .projectName()));
      // Build IDs are PROJECT:UUID (or a build ARN ...:build/PROJECT:UUID): one call per project.
      case "BatchGetBuilds" -> {
        Set<String> projects = new LinkedHashSet<>();
        for (String id : c.request(BatchGetBuildsRequest.class).ids()) {
          String buildId = id.startsWith("arn:") ? id.substring(id.indexOf(":build/") + 7) : id;
          int colon = buildId.lastIndexOf(':');
          if (colon <= 0) {
            throw new IllegalArgumentException("CodeBuild BatchGetBuilds: not a build ID: " + id);
          }
          projects.add(project(c, buildId.substring(0, colon)));
        }
        yield projects.stream().map(p -> c.call("codebuild:BatchGetBuilds", p)).toList();
      }
      default -> throw c.unmapped();
    };
  }

  private static String project(Caller c, String projectName) {
    String name = c.require(projectName, "projectName");
    return name.startsWith("arn:")
        ? name
        : "arn:aws:codebuild:" + c.region() + ":" + c.account() + ":project/" + name;
  }

  // ---------------------------------------------------------------------------------------------
  // ECR: arn:aws:ecr:REGION:REGISTRY:repository/NAME (the registry is the caller's account unless
  // the request names another)

  private static List<RecordedCall> ecr(Caller c) {
    return switch (c.operation()) {
      case "DescribeImages" -> {
        DescribeImagesRequest r = c.request(DescribeImagesRequest.class);
        yield c.one("ecr:DescribeImages", repository(c, r.registryId(), r.repositoryName()));
      }
      case "BatchGetImage" -> {
        BatchGetImageRequest r = c.request(BatchGetImageRequest.class);
        yield c.one("ecr:BatchGetImage", repository(c, r.registryId(), r.repositoryName()));
      }
      case "GetAuthorizationToken" -> c.one("ecr:GetAuthorizationToken", "*");
      // The push path (docker push / cdk-assets): each call is the IAM action of its name.
      case "BatchCheckLayerAvailability" -> {
        var r =
            c.request(
                software.amazon.awssdk.services.ecr.model.BatchCheckLayerAvailabilityRequest.class);
        yield c.one(
            "ecr:BatchCheckLayerAvailability", repository(c, r.registryId(), r.repositoryName()));
      }
      case "InitiateLayerUpload" -> {
        var r =
            c.request(software.amazon.awssdk.services.ecr.model.InitiateLayerUploadRequest.class);
        yield c.one("ecr:InitiateLayerUpload", repository(c, r.registryId(), r.repositoryName()));
      }
      case "UploadLayerPart" -> {
        var r = c.request(software.amazon.awssdk.services.ecr.model.UploadLayerPartRequest.class);
        yield c.one("ecr:UploadLayerPart", repository(c, r.registryId(), r.repositoryName()));
      }
      case "CompleteLayerUpload" -> {
        var r =
            c.request(software.amazon.awssdk.services.ecr.model.CompleteLayerUploadRequest.class);
        yield c.one("ecr:CompleteLayerUpload", repository(c, r.registryId(), r.repositoryName()));
      }
      case "PutImage" -> {
        var r = c.request(software.amazon.awssdk.services.ecr.model.PutImageRequest.class);
        yield c.one("ecr:PutImage", repository(c, r.registryId(), r.repositoryName()));
      }
      case "BatchDeleteImage" -> {
        var r = c.request(software.amazon.awssdk.services.ecr.model.BatchDeleteImageRequest.class);
        yield c.one("ecr:BatchDeleteImage", repository(c, r.registryId(), r.repositoryName()));
      }
      default -> throw c.unmapped();
    };
  }

  private static String repository(Caller c, String registryId, String repositoryName) {
    return "arn:aws:ecr:"
        + c.region()
        + ":"
        + (registryId == null ? c.account() : registryId)
        + ":repository/"
        + c.require(repositoryName, "repositoryName");
  }

  // ---------------------------------------------------------------------------------------------
  // CloudTrail Lake data: the channel ARN

  private static List<RecordedCall> cloudTrailData(Caller c) {
    return switch (c.operation()) {
      case "PutAuditEvents" ->
          c.one(
              "cloudtrail-data:PutAuditEvents",
              c.require(c.request(PutAuditEventsRequest.class).channelArn(), "channelArn"));
      default -> throw c.unmapped();
    };
  }

  // ---------------------------------------------------------------------------------------------

  private static void putIfSet(Map<String, String> context, String key, Object value) {
    if (value != null) {
      context.put(key, value.toString());
    }
  }

  /** The call being mapped, with the caller's region and account. */
  private record Caller(CallLog.Call call, String region, String account) {

    String operation() {
      return call.operation();
    }

    <R extends SdkRequest> R request(Class<R> type) {
      if (!type.isInstance(call.request())) {
        throw new IllegalArgumentException(
            call.service()
                + " "
                + call.operation()
                + ": expected a "
                + type.getSimpleName()
                + ", got "
                + call.request().getClass().getSimpleName());
      }
      return type.cast(call.request());
    }

    String require(String value, String field) {
      if (value == null || value.isEmpty()) {
        throw new IllegalArgumentException(
            call.service() + " " + call.operation() + ": the request has no " + field);
      }
      return value;
    }

    RecordedCall call(String action, String resource) {
      return call(action, resource, Map.of());
    }

    RecordedCall call(String action, String resource, Map<String, String> context) {
      return new RecordedCall(call.principalArn(), action, resource, context);
    }

    List<RecordedCall> one(String action, String resource) {
      return List.of(call(action, resource));
    }

    List<RecordedCall> one(String action, String resource, Map<String, String> context) {
      return List.of(call(action, resource, context));
    }

    IllegalArgumentException unmapped() {
      return new IllegalArgumentException(
          "no IAM mapping for "
              + call.service()
              + " "
              + call.operation()
              + ": add it to AwsCallMapper (an unmapped call would escape the IAM check)");
    }
  }
}
