package dev.cairn.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class StatefulStackTest {

  static CairnStatefulStack stack;
  static Template template;
  static JsonNode json;

  @BeforeAll
  static void synth() {
    stack = TestApps.shared().stateful();
    template = TestApps.template(stack);
    json = TestApps.json(stack);
  }

  @Test
  void auditLake_storesEventsFromOutsideAws_protectedRetained_fedByACustomChannel() {
    template.hasResourceProperties(
        "AWS::CloudTrail::EventDataStore",
        Map.of(
            "Name",
            "cairn-audit-anchors",
            "AdvancedEventSelectors",
            List.of(
                Match.objectLike(
                    Map.of(
                        "FieldSelectors",
                        List.of(
                            Map.of(
                                "Field",
                                "eventCategory",
                                "Equals",
                                List.of("ActivityAuditLog")))))),
            "MultiRegionEnabled",
            false,
            "OrganizationEnabled",
            false,
            "TerminationProtectionEnabled",
            true,
            // audit_anchor_retention_days of the example config, inside Lake's 7..3653 days.
            "RetentionPeriod",
            365));
    template.resourceCountIs("AWS::CloudTrail::EventDataStore", 1);
    template.hasResourceProperties(
        "AWS::CloudTrail::Channel",
        Map.of(
            "Source",
            "Custom",
            "Destinations",
            List.of(
                Map.of(
                    "Type",
                    "EVENT_DATA_STORE",
                    "Location",
                    Map.of("Fn::GetAtt", List.of("AuditEventDataStore", "EventDataStoreArn"))))));
    template.resourceCountIs("AWS::CloudTrail::Channel", 1);
  }

  @Test
  void auditLake_whenConfigNamesAChannel_createsNoLake_andTheAnchorerUsesThatChannel() {
    var c = TestApps.exampleConfig();
    String channel = "arn:aws:cloudtrail:eu-west-1:111111111111:channel/existing-0123";
    var config =
        new dev.cairn.cdk.config.CairnConfig(
            c.configVersion(),
            c.toolsAccount(),
            c.environments(),
            c.trustedSignerKeys(),
            c.operatorKeys(),
            c.allowedCdkCliVersions(),
            c.maxRollbackAttempts(),
            c.neverPromotedDays(),
            c.bootstrapQualifier(),
            c.anchorEmail(),
            c.alertEmails(),
            c.github(),
            c.bucketNames(),
            c.securityAutomationRoleArn(),
            c.contextLookupParameters(),
            c.auditAnchorRetentionDays(),
            c.metadataExportRetentionDays(),
            c.logRetentionDays(),
            channel,
            c.allowAssertedGitSignature(),
            c.contextSignerKeys());
    var stacks = TestApps.build(config);
    Template stateful = TestApps.template(stacks.stateful());
    stateful.resourceCountIs("AWS::CloudTrail::EventDataStore", 0);
    stateful.resourceCountIs("AWS::CloudTrail::Channel", 0);
    Template controlPlane = TestApps.template(stacks.controlPlane());
    controlPlane.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of(
            "Handler",
            CairnFunction.AUDIT_ANCHORER.handler(),
            "Environment",
            Map.of("Variables", Match.objectLike(Map.of("CLOUDTRAIL_CHANNEL_ARN", channel)))));
    controlPlane.hasResourceProperties(
        "AWS::IAM::Policy",
        Map.of(
            "PolicyDocument",
            Map.of(
                "Statement",
                Match.arrayWith(
                    List.of(
                        Match.objectLike(
                            Map.of(
                                "Sid", "PutAnchorAuditEvents",
                                "Action", "cloudtrail-data:PutAuditEvents",
                                "Resource", channel)))))));
  }

  @Test
  void stack_hasTerminationProtection() {
    assertThat(stack.getTerminationProtection()).isTrue();
  }

  @Test
  void metadataTable_matchesSharedDefinition_keySchemaPitrTtlAndSparseGsi() {
    template.hasResourceProperties(
        "AWS::DynamoDB::Table",
        Map.of(
            "TableName", "cdk-artifact-metadata",
            "KeySchema",
                List.of(
                    Map.of("AttributeName", "service", "KeyType", "HASH"),
                    Map.of("AttributeName", "commit_sha", "KeyType", "RANGE")),
            "BillingMode", "PAY_PER_REQUEST",
            "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
            "TimeToLiveSpecification", Map.of("AttributeName", "expire_at", "Enabled", true),
            "GlobalSecondaryIndexes",
                List.of(
                    Map.of(
                        "IndexName", "sweep-due-index",
                        "KeySchema",
                            List.of(
                                Map.of("AttributeName", "sweep_partition", "KeyType", "HASH"),
                                Map.of("AttributeName", "sweep_due_at", "KeyType", "RANGE")),
                        "Projection", Map.of("ProjectionType", "ALL")))));
  }

  @Test
  void auditTables_matchSharedDefinitions() {
    template.hasResourceProperties(
        "AWS::DynamoDB::Table",
        Map.of(
            "TableName", "cdk-audit-log",
            "KeySchema",
                List.of(
                    Map.of("AttributeName", "chain_id", "KeyType", "HASH"),
                    Map.of("AttributeName", "sequence", "KeyType", "RANGE")),
            "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true)));
    template.hasResourceProperties(
        "AWS::DynamoDB::Table",
        Map.of(
            "TableName", "cairn-idempotency",
            "KeySchema", List.of(Map.of("AttributeName", "id", "KeyType", "HASH")),
            "TimeToLiveSpecification", Map.of("AttributeName", "expiration", "Enabled", true)));
    template.resourceCountIs("AWS::DynamoDB::Table", 3);
  }

  @Test
  void statefulResources_haveStableLogicalIds_andAreRetained() {
    JsonNode resources = json.get("Resources");
    CairnStatefulStack.PINNED_LOGICAL_IDS.forEach(
        (id, type) -> {
          assertThat(resources.has(id)).as("logical id %s", id).isTrue();
          assertThat(resources.get(id).get("Type").asText()).isEqualTo(type);
          assertThat(resources.get(id).get("DeletionPolicy").asText()).isEqualTo("Retain");
        });
  }

  @Test
  void candidateBucket_versionedKmsPrivateSsl_andExpiresAfter30Days() {
    JsonNode bucket = json.at("/Resources/CandidateBucket/Properties");
    assertThat(bucket.at("/VersioningConfiguration/Status").asText()).isEqualTo("Enabled");
    assertThat(
            bucket
                .at(
                    "/BucketEncryption/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault/SSEAlgorithm")
                .asText())
        .isEqualTo("aws:kms");
    assertThat(bucket.at("/PublicAccessBlockConfiguration/BlockPublicAcls").asBoolean()).isTrue();
    assertThat(bucket.at("/PublicAccessBlockConfiguration/RestrictPublicBuckets").asBoolean())
        .isTrue();
    JsonNode rule = bucket.at("/LifecycleConfiguration/Rules/0");
    assertThat(rule.get("ExpirationInDays").asInt()).isEqualTo(30);
    assertThat(rule.get("Status").asText()).isEqualTo("Enabled");
    assertThat(
            bucket
                .at("/NotificationConfiguration/EventBridgeConfiguration/EventBridgeEnabled")
                .asBoolean())
        .isTrue();
    assertSslEnforced("CandidateBucket");
  }

  @Test
  void releaseBucket_hasNoExpiry() {
    JsonNode bucket = json.at("/Resources/ReleaseBucket/Properties");
    assertThat(bucket.has("LifecycleConfiguration")).isFalse();
    assertThat(bucket.at("/VersioningConfiguration/Status").asText()).isEqualTo("Enabled");
    assertSslEnforced("ReleaseBucket");
  }

  @Test
  void auditAnchorsBucket_hasObjectLockAndVersioning() {
    JsonNode bucket = json.at("/Resources/AuditAnchorsBucket/Properties");
    assertThat(bucket.get("ObjectLockEnabled").asBoolean()).isTrue();
    assertThat(bucket.at("/ObjectLockConfiguration/ObjectLockEnabled").asText())
        .isEqualTo("Enabled");
    assertThat(bucket.at("/ObjectLockConfiguration/Rule/DefaultRetention/Mode").asText())
        .isEqualTo("COMPLIANCE");
    assertThat(bucket.at("/VersioningConfiguration/Status").asText()).isEqualTo("Enabled");
  }

  @Test
  void candidateReleaseAndAnchorsBuckets_refuseOverwritesAndDeletes_fromAnyPrincipal() {
    for (String bucket : List.of("CandidateBucket", "ReleaseBucket", "AuditAnchorsBucket")) {
      JsonNode statements = bucketPolicyStatements(bucket);
      JsonNode overwrite = statement(statements, "DenyWritesThatCouldOverwrite");
      assertThat(overwrite.get("Effect").asText()).as(bucket).isEqualTo("Deny");
      assertThat(overwrite.at("/Principal/AWS").asText()).as(bucket).isEqualTo("*");
      assertThat(overwrite.get("Action").asText()).as(bucket).isEqualTo("s3:PutObject");
      assertThat(overwrite.at("/Condition/Null/s3:if-none-match").asText())
          .as(bucket)
          .isEqualTo("true");
      JsonNode delete = statement(statements, "DenyDeletes");
      assertThat(delete.get("Effect").asText()).as(bucket).isEqualTo("Deny");
      assertThat(delete.at("/Principal/AWS").asText()).as(bucket).isEqualTo("*");
      assertThat(IamPolicies.strings(delete.get("Action")))
          .as(bucket)
          .containsExactlyInAnyOrder("s3:DeleteObject", "s3:DeleteObjectVersion");
    }
  }

  @Test
  void metadataExportsBucket_versionedKms_retainsAtLeast180Days() {
    JsonNode bucket = json.at("/Resources/MetadataExportsBucket/Properties");
    assertThat(bucket.at("/VersioningConfiguration/Status").asText()).isEqualTo("Enabled");
    assertThat(
            bucket
                .at(
                    "/BucketEncryption/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault/SSEAlgorithm")
                .asText())
        .isEqualTo("aws:kms");
    JsonNode rule = bucket.at("/LifecycleConfiguration/Rules/0");
    assertThat(rule.get("Prefix").asText()).isEqualTo("cdk-artifact-metadata-exports/");
    assertThat(rule.get("ExpirationInDays").asInt()).isGreaterThanOrEqualTo(180);
    assertThat(rule.at("/NoncurrentVersionExpiration/NoncurrentDays").asInt())
        .isGreaterThanOrEqualTo(180);
    assertThat(bucketPolicyStatements("MetadataExportsBucket").toString())
        .contains("DenyDeleteBeforeLifecycleExpiry");
  }

  @Test
  void contextsBucket_usesContextsKeyAlias_denyDeleteExceptSecurityAutomation_writeOnlyGenerator() {
    template.hasResourceProperties(
        "AWS::KMS::Alias", Map.of("AliasName", "alias/cdk-contexts-bucket-key"));
    JsonNode bucket = json.at("/Resources/ContextsBucket/Properties");
    assertThat(bucket.at("/VersioningConfiguration/Status").asText()).isEqualTo("Enabled");
    assertThat(
            bucket
                .at(
                    "/BucketEncryption/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault/KMSMasterKeyID/Fn::GetAtt/0")
                .asText())
        .isEqualTo("ContextsBucketKey");
    JsonNode deny =
        statement(bucketPolicyStatements("ContextsBucket"), "DenyDeleteExceptSecurityAutomation");
    assertThat(deny.get("Effect").asText()).isEqualTo("Deny");
    assertThat(deny.get("Action").toString()).contains("s3:DeleteObject");
    assertThat(deny.at("/Condition/ArnNotEquals/aws:PrincipalArn").asText())
        .isEqualTo("arn:aws:iam::111111111111:role/cairn-security-automation");
    JsonNode write =
        statement(bucketPolicyStatements("ContextsBucket"), "WriteOnlyByContextGenerator");
    assertThat(write.get("Action").asText()).isEqualTo("s3:PutObject");
    assertThat(write.at("/Condition/ArnNotEquals/aws:PrincipalArn").toString())
        .contains(":role/cdk-context-generator");
  }

  @Test
  void signerKeys_areEccP256SignVerify_withSpecAliases() {
    template.hasResource(
        "AWS::KMS::Key",
        Map.of(
            "Properties",
            Map.of("KeySpec", "ECC_NIST_P256", "KeyUsage", "SIGN_VERIFY"),
            "DeletionPolicy",
            "Retain"));
    assertThat(json.at("/Resources/ArtifactSignerKey/Properties/KeySpec").asText())
        .isEqualTo("ECC_NIST_P256");
    assertThat(json.at("/Resources/ArtifactSignerKey/Properties/KeyUsage").asText())
        .isEqualTo("SIGN_VERIFY");
    template.hasResourceProperties(
        "AWS::KMS::Alias",
        Map.of(
            "AliasName",
            "alias/cdk-ci-artifact-signer",
            "TargetKeyId",
            Map.of("Fn::GetAtt", List.of("ArtifactSignerKey", "Arn"))));
    template.hasResourceProperties(
        "AWS::KMS::Key", Map.of("EnableKeyRotation", true, "KeySpec", Match.absent()));
  }

  @Test
  void recordMacKey_isHmac256GenerateVerifyMac_retained_withItsAlias() {
    assertThat(json.at("/Resources/RecordMacKey/Type").asText()).isEqualTo("AWS::KMS::Key");
    assertThat(json.at("/Resources/RecordMacKey/Properties/KeySpec").asText())
        .isEqualTo("HMAC_256");
    assertThat(json.at("/Resources/RecordMacKey/Properties/KeyUsage").asText())
        .isEqualTo("GENERATE_VERIFY_MAC");
    assertThat(json.at("/Resources/RecordMacKey/DeletionPolicy").asText()).isEqualTo("Retain");
    template.hasResourceProperties(
        "AWS::KMS::Alias",
        Map.of(
            "AliasName",
            "alias/cairn-record-mac",
            "TargetKeyId",
            Map.of("Fn::GetAtt", List.of("RecordMacKey", "Arn"))));
  }

  private static void assertSslEnforced(String bucket) {
    JsonNode statements = bucketPolicyStatements(bucket);
    boolean ssl = false;
    for (JsonNode st : statements) {
      if ("Deny".equals(st.path("Effect").asText())
          && "false".equals(st.at("/Condition/Bool/aws:SecureTransport").asText())) {
        ssl = true;
      }
    }
    assertThat(ssl).as("%s denies non-TLS requests", bucket).isTrue();
  }

  static JsonNode bucketPolicyStatements(String bucketLogicalId) {
    for (JsonNode r : json.get("Resources")) {
      if ("AWS::S3::BucketPolicy".equals(r.get("Type").asText())
          && bucketLogicalId.equals(r.at("/Properties/Bucket/Ref").asText())) {
        return r.at("/Properties/PolicyDocument/Statement");
      }
    }
    throw new AssertionError("no bucket policy for " + bucketLogicalId);
  }

  static JsonNode statement(JsonNode statements, String sid) {
    for (JsonNode st : statements) {
      if (sid.equals(st.path("Sid").asText())) {
        return st;
      }
    }
    throw new AssertionError("no statement " + sid + " in " + statements);
  }
}
