package dev.cairn.sandbox.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.sandbox.CallLog;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.model.CreateChangeSetRequest;
import software.amazon.awssdk.services.cloudformation.model.DeleteChangeSetRequest;
import software.amazon.awssdk.services.cloudformation.model.DeleteStackRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeChangeSetRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackDriftDetectionStatusRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackEventsRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeStacksRequest;
import software.amazon.awssdk.services.cloudformation.model.DetectStackDriftRequest;
import software.amazon.awssdk.services.cloudformation.model.ExecuteChangeSetRequest;
import software.amazon.awssdk.services.cloudformation.model.GetStackPolicyRequest;
import software.amazon.awssdk.services.cloudformation.model.GetTemplateRequest;
import software.amazon.awssdk.services.cloudformation.model.ListChangeSetsRequest;
import software.amazon.awssdk.services.cloudformation.model.SetStackPolicyRequest;
import software.amazon.awssdk.services.cloudtraildata.model.PutAuditEventsRequest;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsRequest;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.codebuild.model.BatchGetBuildsRequest;
import software.amazon.awssdk.services.codebuild.model.StartBuildRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.Get;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.ecr.model.BatchGetImageRequest;
import software.amazon.awssdk.services.ecr.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ecr.model.GetAuthorizationTokenRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.kms.model.SignRequest;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetBucketVersioningRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetention;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRetentionRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionRequest;
import software.amazon.awssdk.services.sfn.model.ListExecutionsRequest;
import software.amazon.awssdk.services.sfn.model.StartExecutionRequest;
import software.amazon.awssdk.services.sfn.model.StopExecutionRequest;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;
import software.amazon.awssdk.services.ssm.model.GetParametersRequest;
import software.amazon.awssdk.services.ssm.model.PutParameterRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityRequest;
import software.amazon.awssdk.services.sts.model.Tag;

class AwsCallMapperTest {

  static final String REGION = "us-east-1";
  static final String TOOLS = "000000000000";
  static final String STAGE = "111111111111";
  static final String DEPLOYER = "arn:aws:iam::" + TOOLS + ":role/cairn-deployer-lambda";
  static final String STAGE_DEPLOY = "arn:aws:iam::" + STAGE + ":role/cairn-stage-deploy";
  static final String LEDGER = "arn:aws:dynamodb:us-east-1:" + TOOLS + ":table/cdk-deployments";
  static final String AUDIT = "arn:aws:dynamodb:us-east-1:" + TOOLS + ":table/cdk-audit-log";

  final AwsCallMapper mapper = new AwsCallMapper();

  List<RecordedCall> map(String service, String operation, SdkRequest request) {
    return map(DEPLOYER, service, operation, request);
  }

  List<RecordedCall> map(String principal, String service, String operation, SdkRequest request) {
    return mapper.map(
        new CallLog.Call(principal, service, operation, request), REGION, principal.split(":")[4]);
  }

  static RecordedCall call(String action, String resource) {
    return new RecordedCall(DEPLOYER, action, resource);
  }

  static RecordedCall call(String action, String resource, Map<String, String> context) {
    return new RecordedCall(DEPLOYER, action, resource, context);
  }

  static final Map<String, AttributeValue> KEY = Map.of("pk", AttributeValue.fromS("k"));

  @Nested
  class DynamoDb {

    @Test
    void map_whenItemOperation_authorizesThatActionOnTheTable() {
      assertThat(
              map(
                  "DynamoDb",
                  "GetItem",
                  GetItemRequest.builder().tableName("cdk-deployments").key(KEY).build()))
          .containsExactly(call("dynamodb:GetItem", LEDGER));
      assertThat(
              map(
                  "DynamoDb",
                  "PutItem",
                  PutItemRequest.builder().tableName("cdk-deployments").item(KEY).build()))
          .containsExactly(call("dynamodb:PutItem", LEDGER));
      assertThat(
              map(
                  "DynamoDb",
                  "UpdateItem",
                  UpdateItemRequest.builder().tableName("cdk-deployments").key(KEY).build()))
          .containsExactly(call("dynamodb:UpdateItem", LEDGER));
      assertThat(
              map(
                  "DynamoDb",
                  "DeleteItem",
                  DeleteItemRequest.builder().tableName("cdk-deployments").key(KEY).build()))
          .containsExactly(call("dynamodb:DeleteItem", LEDGER));
      assertThat(
              map(
                  "DynamoDb",
                  "DescribeTable",
                  DescribeTableRequest.builder().tableName("cdk-deployments").build()))
          .containsExactly(call("dynamodb:DescribeTable", LEDGER));
    }

    @Test
    void map_whenQueryOrScanWithoutIndex_authorizesOnTheTable() {
      assertThat(
              map("DynamoDb", "Query", QueryRequest.builder().tableName("cdk-deployments").build()))
          .containsExactly(call("dynamodb:Query", LEDGER));
      assertThat(
              map("DynamoDb", "Scan", ScanRequest.builder().tableName("cdk-deployments").build()))
          .containsExactly(call("dynamodb:Scan", LEDGER));
    }

    @Test
    void map_whenQueryNamesAnIndex_authorizesOnTheIndex() {
      assertThat(
              map(
                  "DynamoDb",
                  "Query",
                  QueryRequest.builder().tableName("cdk-deployments").indexName("by-env").build()))
          .containsExactly(call("dynamodb:Query", LEDGER + "/index/by-env"));
    }

    @Test
    void map_whenTableNameIsAnArn_usesItAsIs() {
      String other = "arn:aws:dynamodb:eu-west-1:333333333333:table/elsewhere";
      assertThat(
              map(
                  "DynamoDb",
                  "GetItem",
                  GetItemRequest.builder().tableName(other).key(KEY).build()))
          .containsExactly(call("dynamodb:GetItem", other));
    }

    @Test
    void map_whenTransactWriteItems_authorizesEachItemAsItsOwnActionOnItsTable() {
      TransactWriteItemsRequest r =
          TransactWriteItemsRequest.builder()
              .transactItems(
                  TransactWriteItem.builder()
                      .put(Put.builder().tableName("cdk-audit-log").item(KEY).build())
                      .build(),
                  TransactWriteItem.builder()
                      .update(Update.builder().tableName("cdk-deployments").key(KEY).build())
                      .build(),
                  TransactWriteItem.builder()
                      .delete(Delete.builder().tableName("cdk-deployments").key(KEY).build())
                      .build(),
                  TransactWriteItem.builder()
                      .conditionCheck(
                          ConditionCheck.builder()
                              .tableName("cdk-audit-log")
                              .key(KEY)
                              .conditionExpression("attribute_exists(pk)")
                              .build())
                      .build())
              .build();

      assertThat(map("DynamoDb", "TransactWriteItems", r))
          .containsExactly(
              call("dynamodb:PutItem", AUDIT),
              call("dynamodb:UpdateItem", LEDGER),
              call("dynamodb:DeleteItem", LEDGER),
              call("dynamodb:ConditionCheckItem", AUDIT));
    }

    @Test
    void map_whenTransactGetItems_authorizesGetItemPerItem() {
      TransactGetItemsRequest r =
          TransactGetItemsRequest.builder()
              .transactItems(
                  TransactGetItem.builder()
                      .get(Get.builder().tableName("cdk-deployments").key(KEY).build())
                      .build(),
                  TransactGetItem.builder()
                      .get(Get.builder().tableName("cdk-audit-log").key(KEY).build())
                      .build())
              .build();

      assertThat(map("DynamoDb", "TransactGetItems", r))
          .containsExactly(call("dynamodb:GetItem", LEDGER), call("dynamodb:GetItem", AUDIT));
    }

    @Test
    void map_whenBatch_authorizesTheBatchActionOncePerTable() {
      BatchGetItemRequest get =
          BatchGetItemRequest.builder()
              .requestItems(
                  Map.of(
                      "cdk-deployments", KeysAndAttributes.builder().keys(KEY, KEY).build(),
                      "cdk-audit-log", KeysAndAttributes.builder().keys(KEY).build()))
              .build();
      WriteRequest put =
          WriteRequest.builder().putRequest(PutRequest.builder().item(KEY).build()).build();
      BatchWriteItemRequest write =
          BatchWriteItemRequest.builder()
              .requestItems(Map.of("cdk-audit-log", List.of(put, put)))
              .build();

      assertThat(map("DynamoDb", "BatchGetItem", get))
          .containsExactlyInAnyOrder(
              call("dynamodb:BatchGetItem", LEDGER), call("dynamodb:BatchGetItem", AUDIT));
      assertThat(map("DynamoDb", "BatchWriteItem", write))
          .containsExactly(call("dynamodb:BatchWriteItem", AUDIT));
    }

    @Test
    void map_whenRecordedByTheSdkInterceptor_usesTheSdkServiceName() {
      // The service and operation names come from the real client, as CallLog records them.
      CallLog log = new CallLog();
      try (DynamoDbClient client =
          DynamoDbClient.builder()
              .region(Region.US_EAST_1)
              .endpointOverride(URI.create("http://localhost:1"))
              .credentialsProvider(AnonymousCredentialsProvider.create())
              .overrideConfiguration(
                  o ->
                      o.addExecutionInterceptor(log.interceptor(DEPLOYER))
                          .addExecutionInterceptor(STOP))
              .build()) {
        assertThatThrownBy(() -> client.getItem(r -> r.tableName("cdk-deployments").key(KEY)))
            .hasMessageContaining("stopped");
      }

      assertThat(log.calls())
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.service()).isEqualTo("DynamoDb");
                assertThat(c.operation()).isEqualTo("GetItem");
              });
      assertThat(mapper.map(log.calls().get(0), REGION, TOOLS))
          .containsExactly(call("dynamodb:GetItem", LEDGER));
    }
  }

  /** Stops a client's call after the recording interceptor, before anything is sent. */
  static final ExecutionInterceptor STOP =
      new ExecutionInterceptor() {
        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes a) {
          throw new IllegalStateException("stopped");
        }
      };

  @Nested
  class S3 {

    static final String OBJECT = "arn:aws:s3:::cdk-artifacts/hello/manifest.json";
    static final String BUCKET = "arn:aws:s3:::cdk-artifacts";

    @Test
    void map_whenPutObject_authorizesPutObjectOnTheObject() {
      assertThat(
              map(
                  "S3",
                  "PutObject",
                  PutObjectRequest.builder()
                      .bucket("cdk-artifacts")
                      .key("hello/manifest.json")
                      .build()))
          .containsExactly(call("s3:PutObject", OBJECT));
    }

    @Test
    void map_whenPutObjectIfNoneMatch_carriesTheConditionalWriteKey() {
      assertThat(
              map(
                  "S3",
                  "PutObject",
                  PutObjectRequest.builder()
                      .bucket("cdk-artifacts")
                      .key("hello/manifest.json")
                      .ifNoneMatch("*")
                      .build()))
          .containsExactly(call("s3:PutObject", OBJECT, Map.of("s3:if-none-match", "*")));
    }

    @Test
    void map_whenPutObjectWithObjectLockAndKms_carriesThoseHeadersKeys() {
      Instant until = Instant.parse("2027-01-01T00:00:00Z");
      assertThat(
              map(
                  "S3",
                  "PutObject",
                  PutObjectRequest.builder()
                      .bucket("cdk-artifacts")
                      .key("hello/manifest.json")
                      .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                      .ssekmsKeyId("alias/cairn")
                      .objectLockMode(ObjectLockMode.COMPLIANCE)
                      .objectLockRetainUntilDate(until)
                      .objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON)
                      .expectedBucketOwner(TOOLS)
                      .build()))
          .containsExactly(
              call(
                  "s3:PutObject",
                  OBJECT,
                  Map.of(
                      "s3:x-amz-server-side-encryption", "aws:kms",
                      "s3:x-amz-server-side-encryption-aws-kms-key-id", "alias/cairn",
                      "s3:object-lock-mode", "COMPLIANCE",
                      "s3:object-lock-retain-until-date", "2027-01-01T00:00:00Z",
                      "s3:object-lock-legal-hold", "ON")));
    }

    @Test
    void map_whenGetOrHeadObject_authorizesGetObject_orGetObjectVersionWithAVersion() {
      assertThat(
              map(
                  "S3",
                  "GetObject",
                  GetObjectRequest.builder()
                      .bucket("cdk-artifacts")
                      .key("hello/manifest.json")
                      .build()))
          .containsExactly(call("s3:GetObject", OBJECT));
      assertThat(
              map(
                  "S3",
                  "GetObject",
                  GetObjectRequest.builder()
                      .bucket("cdk-artifacts")
                      .key("hello/manifest.json")
                      .versionId("v1")
                      .build()))
          .containsExactly(call("s3:GetObjectVersion", OBJECT));
      assertThat(
              map(
                  "S3",
                  "HeadObject",
                  HeadObjectRequest.builder()
                      .bucket("cdk-artifacts")
                      .key("hello/manifest.json")
                      .build()))
          .containsExactly(call("s3:GetObject", OBJECT));
      assertThat(
              map(
                  "S3",
                  "HeadObject",
                  HeadObjectRequest.builder()
                      .bucket("cdk-artifacts")
                      .key("hello/manifest.json")
                      .versionId("v1")
                      .build()))
          .containsExactly(call("s3:GetObjectVersion", OBJECT));
    }

    @Test
    void map_whenCopyObject_readsTheSourceAndWritesTheDestination() {
      assertThat(
              map(
                  "S3",
                  "CopyObject",
                  CopyObjectRequest.builder()
                      .sourceBucket("cdk-artifacts-candidate")
                      .sourceKey("hello/manifest.json")
                      .destinationBucket("cdk-artifacts")
                      .destinationKey("hello/manifest.json")
                      .build()))
          .containsExactly(
              call("s3:GetObject", "arn:aws:s3:::cdk-artifacts-candidate/hello/manifest.json"),
              call("s3:PutObject", OBJECT));
    }

    @Test
    void map_whenCopyObjectFromAVersion_readsWithGetObjectVersion() {
      assertThat(
              map(
                  "S3",
                  "CopyObject",
                  CopyObjectRequest.builder()
                      .sourceBucket("cdk-artifacts-candidate")
                      .sourceKey("hello/manifest.json")
                      .sourceVersionId("v1")
                      .destinationBucket("cdk-artifacts")
                      .destinationKey("hello/manifest.json")
                      .build()))
          .containsExactly(
              call(
                  "s3:GetObjectVersion",
                  "arn:aws:s3:::cdk-artifacts-candidate/hello/manifest.json"),
              call("s3:PutObject", OBJECT));
    }

    @Test
    void map_whenDeleteObject_authorizesDeleteObject_orDeleteObjectVersionWithAVersion() {
      assertThat(
              map(
                  "S3",
                  "DeleteObject",
                  DeleteObjectRequest.builder()
                      .bucket("cdk-artifacts")
                      .key("hello/manifest.json")
                      .build()))
          .containsExactly(call("s3:DeleteObject", OBJECT));
      assertThat(
              map(
                  "S3",
                  "DeleteObject",
                  DeleteObjectRequest.builder()
                      .bucket("cdk-artifacts")
                      .key("hello/manifest.json")
                      .versionId("v1")
                      .build()))
          .containsExactly(call("s3:DeleteObjectVersion", OBJECT));
    }

    @Test
    void map_whenDeleteObjectBypassesGovernance_alsoAuthorizesBypassGovernanceRetention() {
      assertThat(
              map(
                  "S3",
                  "DeleteObject",
                  DeleteObjectRequest.builder()
                      .bucket("cdk-artifacts")
                      .key("hello/manifest.json")
                      .versionId("v1")
                      .bypassGovernanceRetention(true)
                      .build()))
          .containsExactly(
              call("s3:DeleteObjectVersion", OBJECT), call("s3:BypassGovernanceRetention", OBJECT));
    }

    @Test
    void map_whenListing_authorizesListBucketOnTheBucketWithThePrefix() {
      assertThat(
              map(
                  "S3",
                  "ListObjectsV2",
                  ListObjectsV2Request.builder().bucket("cdk-artifacts").prefix("hello/").build()))
          .containsExactly(call("s3:ListBucket", BUCKET, Map.of("s3:prefix", "hello/")));
      assertThat(
              map(
                  "S3",
                  "ListObjects",
                  ListObjectsRequest.builder().bucket("cdk-artifacts").build()))
          .containsExactly(call("s3:ListBucket", BUCKET));
      assertThat(
              map(
                  "S3",
                  "ListObjectVersions",
                  ListObjectVersionsRequest.builder().bucket("cdk-artifacts").build()))
          .containsExactly(call("s3:ListBucketVersions", BUCKET));
    }

    @Test
    void map_whenHeadBucket_authorizesListBucket() {
      assertThat(
              map("S3", "HeadBucket", HeadBucketRequest.builder().bucket("cdk-artifacts").build()))
          .containsExactly(call("s3:ListBucket", BUCKET));
    }

    @Test
    void map_whenGetBucketVersioning_authorizesOnTheBucket() {
      assertThat(
              map(
                  "S3",
                  "GetBucketVersioning",
                  GetBucketVersioningRequest.builder().bucket("cdk-artifacts").build()))
          .containsExactly(call("s3:GetBucketVersioning", BUCKET));
    }

    @Test
    void map_whenMultipartUpload_authorizesEachStepAsPutObject() {
      assertThat(
              map(
                  "S3",
                  "CreateMultipartUpload",
                  CreateMultipartUploadRequest.builder()
                      .bucket("cdk-artifacts")
                      .key("hello/manifest.json")
                      .build()))
          .containsExactly(call("s3:PutObject", OBJECT));
      assertThat(
              map(
                  "S3",
                  "UploadPart",
                  UploadPartRequest.builder()
                      .bucket("cdk-artifacts")
                      .key("hello/manifest.json")
                      .uploadId("u")
                      .partNumber(1)
                      .build()))
          .containsExactly(call("s3:PutObject", OBJECT));
      assertThat(
              map(
                  "S3",
                  "CompleteMultipartUpload",
                  CompleteMultipartUploadRequest.builder()
                      .bucket("cdk-artifacts")
                      .key("hello/manifest.json")
                      .uploadId("u")
                      .ifNoneMatch("*")
                      .build()))
          .containsExactly(call("s3:PutObject", OBJECT, Map.of("s3:if-none-match", "*")));
    }

    @Test
    void map_whenPutObjectRetention_carriesTheRetentionKeys() {
      assertThat(
              map(
                  "S3",
                  "PutObjectRetention",
                  PutObjectRetentionRequest.builder()
                      .bucket("cdk-artifacts")
                      .key("hello/manifest.json")
                      .retention(
                          ObjectLockRetention.builder()
                              .mode(ObjectLockRetentionMode.COMPLIANCE)
                              .retainUntilDate(Instant.parse("2027-01-01T00:00:00Z"))
                              .build())
                      .build()))
          .containsExactly(
              call(
                  "s3:PutObjectRetention",
                  OBJECT,
                  Map.of(
                      "s3:object-lock-mode", "COMPLIANCE",
                      "s3:object-lock-retain-until-date", "2027-01-01T00:00:00Z")));
    }

    @Test
    void map_whenRecordedByTheSdkInterceptor_usesTheSdkServiceName() {
      CallLog log = new CallLog();
      try (S3Client client =
          S3Client.builder()
              .region(Region.US_EAST_1)
              .endpointOverride(URI.create("http://localhost:1"))
              .forcePathStyle(true)
              .credentialsProvider(AnonymousCredentialsProvider.create())
              .overrideConfiguration(
                  o ->
                      o.addExecutionInterceptor(log.interceptor(DEPLOYER))
                          .addExecutionInterceptor(STOP))
              .build()) {
        assertThatThrownBy(
                () -> client.headObject(r -> r.bucket("cdk-artifacts").key("hello/manifest.json")))
            .hasMessageContaining("stopped");
      }

      assertThat(mapper.map(log.calls().get(0), REGION, TOOLS))
          .containsExactly(call("s3:GetObject", OBJECT));
    }
  }

  @Nested
  class Sts {

    @Test
    void map_whenAssumeRole_authorizesOnTheRoleWithTheSessionName() {
      assertThat(
              map(
                  "Sts",
                  "AssumeRole",
                  AssumeRoleRequest.builder()
                      .roleArn(STAGE_DEPLOY)
                      .roleSessionName("cairn-deploy")
                      .build()))
          .containsExactly(
              call("sts:AssumeRole", STAGE_DEPLOY, Map.of("sts:RoleSessionName", "cairn-deploy")));
    }

    @Test
    void map_whenAssumeRoleWithSessionTags_alsoAuthorizesTagSession() {
      assertThat(
              map(
                  "Sts",
                  "AssumeRole",
                  AssumeRoleRequest.builder()
                      .roleArn(STAGE_DEPLOY)
                      .roleSessionName("s")
                      .tags(Tag.builder().key("env").value("stage").build())
                      .build()))
          .containsExactly(
              call("sts:AssumeRole", STAGE_DEPLOY, Map.of("sts:RoleSessionName", "s")),
              call("sts:TagSession", STAGE_DEPLOY));
    }

    @Test
    void map_whenGetCallerIdentity_needsNoAuthorization() {
      assertThat(map("Sts", "GetCallerIdentity", GetCallerIdentityRequest.builder().build()))
          .isEmpty();
    }
  }

  @Nested
  class Ssm {

    static final String PARAMETER = "arn:aws:ssm:us-east-1:" + TOOLS + ":parameter/cairn/config";

    @Test
    void map_whenNameStartsWithSlash_theArnHasNoDoubleSlash() {
      assertThat(
              map(
                  "Ssm",
                  "GetParameter",
                  GetParameterRequest.builder().name("/cairn/config").build()))
          .containsExactly(call("ssm:GetParameter", PARAMETER));
    }

    @Test
    void map_whenNameHasNoSlash_theArnAddsOne() {
      assertThat(map("Ssm", "GetParameter", GetParameterRequest.builder().name("flat").build()))
          .containsExactly(
              call("ssm:GetParameter", "arn:aws:ssm:us-east-1:" + TOOLS + ":parameter/flat"));
    }

    @Test
    void map_whenNameHasAVersionSelector_theArnNamesTheParameter() {
      assertThat(
              map(
                  "Ssm",
                  "GetParameter",
                  GetParameterRequest.builder().name("/cairn/config:3").build()))
          .containsExactly(call("ssm:GetParameter", PARAMETER));
    }

    @Test
    void map_whenGetParameters_authorizesEachParameter() {
      assertThat(
              map(
                  "Ssm",
                  "GetParameters",
                  GetParametersRequest.builder().names("/cairn/config", "/cairn/other").build()))
          .containsExactly(
              call("ssm:GetParameters", PARAMETER),
              call(
                  "ssm:GetParameters",
                  "arn:aws:ssm:us-east-1:" + TOOLS + ":parameter/cairn/other"));
    }

    @Test
    void map_whenPutParameterInTheTargetAccount_usesThePrincipalsAccount() {
      assertThat(
              map(
                  STAGE_DEPLOY,
                  "Ssm",
                  "PutParameter",
                  PutParameterRequest.builder()
                      .name("/cairn/last-known-good")
                      .value("abc")
                      .overwrite(true)
                      .build()))
          .containsExactly(
              new RecordedCall(
                  STAGE_DEPLOY,
                  "ssm:PutParameter",
                  "arn:aws:ssm:us-east-1:" + STAGE + ":parameter/cairn/last-known-good",
                  Map.of("ssm:Overwrite", "true")));
    }
  }

  @Nested
  class Messaging {

    static final String TOPIC = "arn:aws:sns:us-east-1:" + TOOLS + ":cairn-alerts";

    @Test
    void map_whenSnsPublish_authorizesOnTheTopic() {
      assertThat(
              map("Sns", "Publish", PublishRequest.builder().topicArn(TOPIC).message("m").build()))
          .containsExactly(call("sns:Publish", TOPIC));
    }

    @Test
    void map_whenKmsGenerateAndVerifyMac_authorizeOnTheKeyWithTheMacAlgorithm() {
      String key = "arn:aws:kms:us-east-1:" + TOOLS + ":key/1234abcd-12ab-34cd-56ef-1234567890ab";
      assertThat(
              map(
                  "Kms",
                  "GenerateMac",
                  software.amazon.awssdk.services.kms.model.GenerateMacRequest.builder()
                      .keyId(key)
                      .macAlgorithm("HMAC_SHA_256")
                      .build()))
          .containsExactly(
              call("kms:GenerateMac", key, Map.of("kms:MacAlgorithm", "HMAC_SHA_256")));
      assertThat(
              map(
                  "Kms",
                  "VerifyMac",
                  software.amazon.awssdk.services.kms.model.VerifyMacRequest.builder()
                      .keyId(key)
                      .macAlgorithm("HMAC_SHA_256")
                      .build()))
          .containsExactly(call("kms:VerifyMac", key, Map.of("kms:MacAlgorithm", "HMAC_SHA_256")));
    }

    @Test
    void map_whenKmsMacByAlias_isNotMapped() {
      assertThatThrownBy(
              () ->
                  map(
                      "Kms",
                      "GenerateMac",
                      software.amazon.awssdk.services.kms.model.GenerateMacRequest.builder()
                          .keyId("alias/cairn-record-mac")
                          .macAlgorithm("HMAC_SHA_256")
                          .build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("key ARNs");
    }

    @Test
    void map_whenSnsPublishToAPhoneNumber_isNotMapped() {
      assertThatThrownBy(
              () ->
                  map(
                      "Sns",
                      "Publish",
                      PublishRequest.builder().phoneNumber("+15555550100").message("m").build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("topic");
    }

    @Test
    void map_whenPutEventsWithoutABus_authorizesOnTheDefaultBusWithSourceAndDetailType() {
      assertThat(
              map(
                  "EventBridge",
                  "PutEvents",
                  PutEventsRequest.builder()
                      .entries(
                          PutEventsRequestEntry.builder()
                              .source("cairn")
                              .detailType("DeploymentSucceeded")
                              .detail("{}")
                              .build())
                      .build()))
          .containsExactly(
              call(
                  "events:PutEvents",
                  "arn:aws:events:us-east-1:" + TOOLS + ":event-bus/default",
                  Map.of("events:source", "cairn", "events:detail-type", "DeploymentSucceeded")));
    }

    @Test
    void map_whenPutEventsEntriesRepeat_authorizesEachDistinctBusSourceAndDetailTypeOnce() {
      PutEventsRequestEntry onCustom =
          PutEventsRequestEntry.builder()
              .eventBusName("cairn")
              .source("cairn")
              .detailType("A")
              .detail("{}")
              .build();
      PutEventsRequestEntry onDefault =
          PutEventsRequestEntry.builder().source("cairn").detailType("A").detail("{}").build();

      assertThat(
              map(
                  "EventBridge",
                  "PutEvents",
                  PutEventsRequest.builder().entries(onCustom, onDefault, onCustom).build()))
          .containsExactly(
              call(
                  "events:PutEvents",
                  "arn:aws:events:us-east-1:" + TOOLS + ":event-bus/cairn",
                  Map.of("events:source", "cairn", "events:detail-type", "A")),
              call(
                  "events:PutEvents",
                  "arn:aws:events:us-east-1:" + TOOLS + ":event-bus/default",
                  Map.of("events:source", "cairn", "events:detail-type", "A")));
    }

    @Test
    void map_whenPutAuditEvents_authorizesOnTheChannel() {
      String channel = "arn:aws:cloudtrail:us-east-1:" + TOOLS + ":channel/abc";
      assertThat(
              map(
                  "CloudTrailData",
                  "PutAuditEvents",
                  PutAuditEventsRequest.builder().channelArn(channel).build()))
          .containsExactly(call("cloudtrail-data:PutAuditEvents", channel));
    }
  }

  @Nested
  class Lambda {

    static final String FUNCTION =
        "arn:aws:lambda:us-east-1:" + TOOLS + ":function:cairn-registrar";

    @Test
    void map_whenInvoke_authorizesOnTheQualifiedFunctionArn_howeverTheFunctionIsNamed() {
      for (InvokeRequest r :
          List.of(
              InvokeRequest.builder().functionName("cairn-registrar:live").build(),
              InvokeRequest.builder().functionName("cairn-registrar").qualifier("live").build(),
              InvokeRequest.builder()
                  .functionName(TOOLS + ":function:cairn-registrar:live")
                  .build(),
              InvokeRequest.builder().functionName(FUNCTION + ":live").build())) {
        assertThat(map("Lambda", "Invoke", r))
            .as(r.functionName())
            .containsExactly(call("lambda:InvokeFunction", FUNCTION + ":live"));
      }
      assertThat(map("Lambda", "Invoke", InvokeRequest.builder().functionName(FUNCTION).build()))
          .containsExactly(call("lambda:InvokeFunction", FUNCTION));
    }

    @Test
    void map_whenInvokeNamesTwoQualifiers_refuses() {
      assertThatThrownBy(
              () ->
                  map(
                      "Lambda",
                      "Invoke",
                      InvokeRequest.builder()
                          .functionName("cairn-registrar:live")
                          .qualifier("1")
                          .build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("already has a qualifier");
    }
  }

  @Nested
  class StepFunctions {

    static final String MACHINE =
        "arn:aws:states:us-east-1:" + TOOLS + ":stateMachine:cairn-pipeline";
    static final String EXECUTION =
        "arn:aws:states:us-east-1:" + TOOLS + ":execution:cairn-pipeline:run-1";

    @Test
    void map_whenStartOrListExecutions_authorizesOnTheStateMachine() {
      assertThat(
              map(
                  "Sfn",
                  "StartExecution",
                  StartExecutionRequest.builder().stateMachineArn(MACHINE).build()))
          .containsExactly(call("states:StartExecution", MACHINE));
      assertThat(
              map(
                  "Sfn",
                  "ListExecutions",
                  ListExecutionsRequest.builder().stateMachineArn(MACHINE).build()))
          .containsExactly(call("states:ListExecutions", MACHINE));
    }

    @Test
    void map_whenDescribeOrStopExecution_authorizesOnTheExecution() {
      assertThat(
              map(
                  "Sfn",
                  "DescribeExecution",
                  DescribeExecutionRequest.builder().executionArn(EXECUTION).build()))
          .containsExactly(call("states:DescribeExecution", EXECUTION));
      assertThat(
              map(
                  "Sfn",
                  "StopExecution",
                  StopExecutionRequest.builder().executionArn(EXECUTION).build()))
          .containsExactly(call("states:StopExecution", EXECUTION));
    }
  }

  @Nested
  class CloudFormation {

    static final String STACK =
        "arn:aws:cloudformation:us-east-1:" + STAGE + ":stack/hello-service/sandbox";
    static final String EXEC_ROLE = "arn:aws:iam::" + STAGE + ":role/cairn-stage-cfn-exec";

    List<RecordedCall> target(String operation, SdkRequest request) {
      return map(STAGE_DEPLOY, "CloudFormation", operation, request);
    }

    RecordedCall stage(String action, String resource, Map<String, String> context) {
      return new RecordedCall(STAGE_DEPLOY, action, resource, context);
    }

    @Test
    void map_whenCreateChangeSetWithARole_authorizesOnTheStackAndPassesTheRole() {
      assertThat(
              target(
                  "CreateChangeSet",
                  CreateChangeSetRequest.builder()
                      .stackName("hello-service")
                      .changeSetName("cairn-abc")
                      .roleARN(EXEC_ROLE)
                      .templateURL("https://s3.amazonaws.com/b/t.json")
                      .build()))
          .containsExactly(
              stage(
                  "cloudformation:CreateChangeSet",
                  STACK,
                  Map.of(
                      "cloudformation:ChangeSetName", "cairn-abc",
                      "cloudformation:RoleArn", EXEC_ROLE,
                      "cloudformation:TemplateUrl", "https://s3.amazonaws.com/b/t.json")),
              stage(
                  "iam:PassRole",
                  EXEC_ROLE,
                  Map.of("iam:PassedToService", "cloudformation.amazonaws.com")));
    }

    @Test
    void map_whenChangeSetOperation_authorizesOnTheStackWithTheChangeSetName() {
      Map<String, String> name = Map.of("cloudformation:ChangeSetName", "cairn-abc");
      assertThat(
              target(
                  "DescribeChangeSet",
                  DescribeChangeSetRequest.builder()
                      .stackName("hello-service")
                      .changeSetName("cairn-abc")
                      .build()))
          .containsExactly(stage("cloudformation:DescribeChangeSet", STACK, name));
      assertThat(
              target(
                  "ExecuteChangeSet",
                  ExecuteChangeSetRequest.builder()
                      .stackName("hello-service")
                      .changeSetName("cairn-abc")
                      .build()))
          .containsExactly(stage("cloudformation:ExecuteChangeSet", STACK, name));
      assertThat(
              target(
                  "DeleteChangeSet",
                  DeleteChangeSetRequest.builder()
                      .stackName("hello-service")
                      .changeSetName("cairn-abc")
                      .build()))
          .containsExactly(stage("cloudformation:DeleteChangeSet", STACK, name));
    }

    @Test
    void map_whenChangeSetOperationWithoutAStackName_isRefused() {
      assertThatThrownBy(
              () ->
                  target(
                      "ExecuteChangeSet",
                      ExecuteChangeSetRequest.builder()
                          .changeSetName(
                              "arn:aws:cloudformation:us-east-1:"
                                  + STAGE
                                  + ":changeSet/cairn-abc/1234")
                          .build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("StackName");
    }

    @Test
    void map_whenStackOperation_authorizesOnTheStackInTheTargetAccount() {
      Map<String, SdkRequest> requests =
          Map.of(
              "ListChangeSets", ListChangeSetsRequest.builder().stackName("hello-service").build(),
              "DescribeStacks", DescribeStacksRequest.builder().stackName("hello-service").build(),
              "DescribeStackEvents",
                  DescribeStackEventsRequest.builder().stackName("hello-service").build(),
              "DeleteStack", DeleteStackRequest.builder().stackName("hello-service").build(),
              "GetTemplate", GetTemplateRequest.builder().stackName("hello-service").build(),
              "GetStackPolicy", GetStackPolicyRequest.builder().stackName("hello-service").build(),
              "DetectStackDrift",
                  DetectStackDriftRequest.builder().stackName("hello-service").build());
      requests.forEach(
          (operation, request) ->
              assertThat(target(operation, request))
                  .as(operation)
                  .containsExactly(stage("cloudformation:" + operation, STACK, Map.of())));
    }

    @Test
    void map_whenSetStackPolicy_authorizesOnTheStack() {
      assertThat(
              target(
                  "SetStackPolicy",
                  SetStackPolicyRequest.builder()
                      .stackName("hello-service")
                      .stackPolicyBody("{}")
                      .build()))
          .containsExactly(stage("cloudformation:SetStackPolicy", STACK, Map.of()));
    }

    @Test
    void map_whenStackNameIsAStackId_usesItAsIs() {
      String id =
          "arn:aws:cloudformation:us-east-1:" + STAGE + ":stack/hello-service/4d40ccac-0000";
      assertThat(target("DescribeStacks", DescribeStacksRequest.builder().stackName(id).build()))
          .containsExactly(stage("cloudformation:DescribeStacks", id, Map.of()));
    }

    @Test
    void map_whenNoStackIsNamed_authorizesOnStar() {
      assertThat(target("DescribeStacks", DescribeStacksRequest.builder().build()))
          .containsExactly(stage("cloudformation:DescribeStacks", "*", Map.of()));
      assertThat(
              target(
                  "DescribeStackDriftDetectionStatus",
                  DescribeStackDriftDetectionStatusRequest.builder()
                      .stackDriftDetectionId("d-1")
                      .build()))
          .containsExactly(
              stage("cloudformation:DescribeStackDriftDetectionStatus", "*", Map.of()));
    }
  }

  @Nested
  class Monitoring {

    @Test
    void map_whenDescribeAlarmsByName_authorizesEachAlarm() {
      assertThat(
              map(
                  STAGE_DEPLOY,
                  "CloudWatch",
                  "DescribeAlarms",
                  DescribeAlarmsRequest.builder().alarmNames("errors", "latency").build()))
          .containsExactly(
              new RecordedCall(
                  STAGE_DEPLOY,
                  "cloudwatch:DescribeAlarms",
                  "arn:aws:cloudwatch:us-east-1:" + STAGE + ":alarm:errors"),
              new RecordedCall(
                  STAGE_DEPLOY,
                  "cloudwatch:DescribeAlarms",
                  "arn:aws:cloudwatch:us-east-1:" + STAGE + ":alarm:latency"));
    }

    @Test
    void map_whenDescribeAlarmsWithoutNames_authorizesOnStar() {
      assertThat(map("CloudWatch", "DescribeAlarms", DescribeAlarmsRequest.builder().build()))
          .containsExactly(call("cloudwatch:DescribeAlarms", "*"));
    }

    @Test
    void map_whenPutMetricData_authorizesOnStarWithTheNamespace() {
      assertThat(
              map(
                  "CloudWatch",
                  "PutMetricData",
                  PutMetricDataRequest.builder().namespace("Cairn").build()))
          .containsExactly(
              call("cloudwatch:PutMetricData", "*", Map.of("cloudwatch:namespace", "Cairn")));
    }
  }

  @Nested
  class Builds {

    static final String PROJECT = "arn:aws:codebuild:us-east-1:" + TOOLS + ":project/cairn-tests";
    static final String REPOSITORY = "arn:aws:ecr:us-east-1:" + TOOLS + ":repository/hello";

    @Test
    void map_whenStartBuild_authorizesOnTheProject() {
      assertThat(
              map(
                  "CodeBuild",
                  "StartBuild",
                  StartBuildRequest.builder().projectName("cairn-tests").build()))
          .containsExactly(call("codebuild:StartBuild", PROJECT));
    }

    @Test
    void map_whenBatchGetBuilds_authorizesEachProjectOnce() {
      assertThat(
              map(
                  "CodeBuild",
                  "BatchGetBuilds",
                  BatchGetBuildsRequest.builder()
                      .ids(
                          "cairn-tests:0c1d",
                          "cairn-tests:9f2e",
                          "arn:aws:codebuild:us-east-1:" + TOOLS + ":build/other:77aa")
                      .build()))
          .containsExactly(
              call("codebuild:BatchGetBuilds", PROJECT),
              call(
                  "codebuild:BatchGetBuilds",
                  "arn:aws:codebuild:us-east-1:" + TOOLS + ":project/other"));
    }

    @Test
    void map_whenEcrImageRead_authorizesOnTheRepository() {
      assertThat(
              map(
                  "Ecr",
                  "DescribeImages",
                  DescribeImagesRequest.builder().repositoryName("hello").build()))
          .containsExactly(call("ecr:DescribeImages", REPOSITORY));
      assertThat(
              map(
                  "Ecr",
                  "BatchGetImage",
                  BatchGetImageRequest.builder().repositoryName("hello").registryId(STAGE).build()))
          .containsExactly(
              call("ecr:BatchGetImage", "arn:aws:ecr:us-east-1:" + STAGE + ":repository/hello"));
    }

    @Test
    void map_whenAnImageIsPushed_eachCallIsItsEcrActionOnTheNamedRegistrysRepository() {
      String prodRepo = "arn:aws:ecr:us-east-1:222222222222:repository/hello";
      assertThat(
              map(
                  "Ecr",
                  "BatchCheckLayerAvailability",
                  software.amazon.awssdk.services.ecr.model.BatchCheckLayerAvailabilityRequest
                      .builder()
                      .repositoryName("hello")
                      .build()))
          .containsExactly(call("ecr:BatchCheckLayerAvailability", REPOSITORY));
      assertThat(
              map(
                  "Ecr",
                  "InitiateLayerUpload",
                  software.amazon.awssdk.services.ecr.model.InitiateLayerUploadRequest.builder()
                      .repositoryName("hello")
                      .registryId("222222222222")
                      .build()))
          .containsExactly(call("ecr:InitiateLayerUpload", prodRepo));
      assertThat(
              map(
                  "Ecr",
                  "UploadLayerPart",
                  software.amazon.awssdk.services.ecr.model.UploadLayerPartRequest.builder()
                      .repositoryName("hello")
                      .build()))
          .containsExactly(call("ecr:UploadLayerPart", REPOSITORY));
      assertThat(
              map(
                  "Ecr",
                  "CompleteLayerUpload",
                  software.amazon.awssdk.services.ecr.model.CompleteLayerUploadRequest.builder()
                      .repositoryName("hello")
                      .build()))
          .containsExactly(call("ecr:CompleteLayerUpload", REPOSITORY));
      assertThat(
              map(
                  "Ecr",
                  "PutImage",
                  software.amazon.awssdk.services.ecr.model.PutImageRequest.builder()
                      .repositoryName("hello")
                      .registryId("222222222222")
                      .build()))
          .containsExactly(call("ecr:PutImage", prodRepo));
      assertThat(
              map(
                  "Ecr",
                  "BatchDeleteImage",
                  software.amazon.awssdk.services.ecr.model.BatchDeleteImageRequest.builder()
                      .repositoryName("hello")
                      .build()))
          .containsExactly(call("ecr:BatchDeleteImage", REPOSITORY));
    }

    @Test
    void map_whenGetAuthorizationToken_authorizesOnStar() {
      assertThat(
              map("Ecr", "GetAuthorizationToken", GetAuthorizationTokenRequest.builder().build()))
          .containsExactly(call("ecr:GetAuthorizationToken", "*"));
    }
  }

  @Nested
  class Unmapped {

    @Test
    void map_whenOperationIsNotInTheTable_failsNamingServiceAndOperation() {
      assertThatThrownBy(
              () ->
                  map(
                      "DynamoDb",
                      "DeleteTable",
                      software.amazon.awssdk.services.dynamodb.model.DeleteTableRequest.builder()
                          .tableName("cdk-deployments")
                          .build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("DynamoDb DeleteTable");
    }

    @Test
    void map_whenServiceIsNotInTheTable_failsNamingServiceAndOperation() {
      assertThatThrownBy(() -> map("Kms", "Sign", SignRequest.builder().keyId("k").build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Kms Sign");
    }

    @Test
    void map_whenRequestDoesNotMatchTheOperation_fails() {
      assertThatThrownBy(
              () ->
                  map(
                      "DynamoDb",
                      "PutItem",
                      GetItemRequest.builder().tableName("cdk-deployments").key(KEY).build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("PutItemRequest");
    }
  }
}
