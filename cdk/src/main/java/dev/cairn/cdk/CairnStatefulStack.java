package dev.cairn.cdk;

import dev.cairn.cdk.config.CairnConfig;
import dev.cairn.schema.TableDefinition;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.cloudtrail.CfnChannel;
import software.amazon.awscdk.services.cloudtrail.CfnEventDataStore;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.CfnTable;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.iam.AnyPrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.CfnKey;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.kms.KeySpec;
import software.amazon.awscdk.services.kms.KeyUsage;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.CfnBucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectLockRetention;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * Tools account, termination protection on: every resource that holds state. Logical IDs are pinned
 * with {@code overrideLogicalId} so a refactor of construct paths can never replace a bucket, table
 * or key.
 */
public final class CairnStatefulStack extends Stack {

  /** Pinned logical IDs (asserted by tests; changing one replaces the resource). */
  public static final Map<String, String> PINNED_LOGICAL_IDS =
      Map.ofEntries(
          Map.entry("CandidateBucket", "AWS::S3::Bucket"),
          Map.entry("ReleaseBucket", "AWS::S3::Bucket"),
          Map.entry("ContextsBucket", "AWS::S3::Bucket"),
          Map.entry("AuditAnchorsBucket", "AWS::S3::Bucket"),
          Map.entry("MetadataExportsBucket", "AWS::S3::Bucket"),
          Map.entry("AccessLogsBucket", "AWS::S3::Bucket"),
          Map.entry("ArtifactMetadataTable", "AWS::DynamoDB::Table"),
          Map.entry("AuditLogTable", "AWS::DynamoDB::Table"),
          Map.entry("IdempotencyTable", "AWS::DynamoDB::Table"),
          Map.entry("ArtifactSignerKey", "AWS::KMS::Key"),
          Map.entry("ContextSignerKey", "AWS::KMS::Key"),
          Map.entry("ArtifactsBucketKey", "AWS::KMS::Key"),
          Map.entry("ContextsBucketKey", "AWS::KMS::Key"),
          Map.entry("AuditBucketKey", "AWS::KMS::Key"),
          Map.entry("RecordMacKey", "AWS::KMS::Key"),
          Map.entry("AuditEventDataStore", "AWS::CloudTrail::EventDataStore"));

  /** CloudTrail Lake bounds an event data store's retention to 7–3653 days. */
  static final int MIN_LAKE_RETENTION_DAYS = 7;

  static final int MAX_LAKE_RETENTION_DAYS = 3653;

  private final Bucket candidateBucket;
  private final Bucket releaseBucket;
  private final Bucket contextsBucket;
  private final Bucket auditAnchorsBucket;
  private final Bucket metadataExportsBucket;
  private final Table metadataTable;
  private final Table auditLogTable;
  private final Table idempotencyTable;
  private final Key artifactSignerKey;
  private final Key contextSignerKey;
  private final Key artifactsBucketKey;
  private final Key contextsBucketKey;
  private final Key auditBucketKey;
  private final Key recordMacKey;
  private final String auditChannelArn;

  public CairnStatefulStack(Construct scope, String id, StackProps props, CairnConfig config) {
    super(scope, id, withTerminationProtection(props));
    CairnConfig.BucketNames names = config.bucketNames();

    artifactsBucketKey = bucketKey("ArtifactsBucketKey", CairnNames.ARTIFACTS_BUCKET_KEY_ALIAS);
    contextsBucketKey = bucketKey("ContextsBucketKey", CairnNames.CONTEXTS_BUCKET_KEY_ALIAS);
    auditBucketKey = bucketKey("AuditBucketKey", "alias/cairn-audit-bucket-key");
    artifactSignerKey =
        signingKey(
            "ArtifactSignerKey",
            CairnNames.ARTIFACT_SIGNER_ALIAS,
            "Signs artifact-manifest.json (ECDSA_SHA_256, MessageType=DIGEST). CI only.");
    contextSignerKey =
        signingKey(
            "ContextSignerKey",
            CairnNames.CONTEXT_SIGNER_ALIAS,
            "Signs blessed .cdk.context.json files. Context generator only.");
    recordMacKey = createRecordMacKey();

    Bucket accessLogs =
        Bucket.Builder.create(this, "AccessLogsBucket")
            .bucketName(names.accessLogs())
            .encryption(BucketEncryption.S3_MANAGED)
            .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
            .enforceSsl(true)
            .versioned(true)
            .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
            .lifecycleRules(
                List.of(
                    LifecycleRule.builder()
                        .id("access-logs-retention")
                        .expiration(Duration.days(config.logRetentionDays()))
                        .noncurrentVersionExpiration(Duration.days(30))
                        .build()))
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();
    pin(accessLogs, "AccessLogsBucket");
    // cdk-nag recognises this bucket as the access-log destination (S1 compliant).

    candidateBucket =
        kmsBucket("CandidateBucket", names.candidate(), artifactsBucketKey, accessLogs)
            .lifecycleRules(
                List.of(
                    LifecycleRule.builder()
                        .id("candidate-expiry-30-days")
                        .expiration(Duration.days(30))
                        .noncurrentVersionExpiration(Duration.days(30))
                        .abortIncompleteMultipartUploadAfter(Duration.days(7))
                        .build()))
            .build();
    pin(candidateBucket, "CandidateBucket");
    enableEventBridge(candidateBucket);

    // Release artifacts are permanent unless manually retired: no expiration rule at all.
    releaseBucket =
        kmsBucket("ReleaseBucket", names.release(), artifactsBucketKey, accessLogs).build();
    pin(releaseBucket, "ReleaseBucket");
    enableEventBridge(releaseBucket);

    contextsBucket =
        kmsBucket("ContextsBucket", names.contexts(), contextsBucketKey, accessLogs).build();
    pin(contextsBucket, "ContextsBucket");
    protectContexts(config);

    auditAnchorsBucket =
        kmsBucket("AuditAnchorsBucket", names.auditAnchors(), auditBucketKey, accessLogs)
            .objectLockEnabled(true)
            .objectLockDefaultRetention(
                ObjectLockRetention.compliance(Duration.days(config.auditAnchorRetentionDays())))
            .build();
    pin(auditAnchorsBucket, "AuditAnchorsBucket");
    auditChannelArn = config.cloudTrailLakeChannel().orElseGet(() -> auditLake(config));

    // Artifacts, releases and anchors are evidence: once written, never replaced or removed, by
    // any principal (CI included, whose s3:PutObject on the candidate bucket is otherwise
    // unconditioned). Client-side If-None-Match alone was only a convention.
    writeOnce(candidateBucket);
    writeOnce(releaseBucket);
    writeOnce(auditAnchorsBucket);

    metadataExportsBucket =
        kmsBucket("MetadataExportsBucket", names.metadataExports(), auditBucketKey, accessLogs)
            .lifecycleRules(
                List.of(
                    LifecycleRule.builder()
                        .id("metadata-exports-retention")
                        .prefix(CairnNames.METADATA_EXPORTS_PREFIX)
                        .expiration(Duration.days(config.metadataExportRetentionDays()))
                        .noncurrentVersionExpiration(
                            Duration.days(config.metadataExportRetentionDays()))
                        .build()))
            .build();
    pin(metadataExportsBucket, "MetadataExportsBucket");
    // Retention is enforced, not just configured: nobody deletes exports; only lifecycle expires
    // them, after at least metadata_export_retention_days (>= 180).
    metadataExportsBucket.addToResourcePolicy(
        PolicyStatement.Builder.create()
            .sid("DenyDeleteBeforeLifecycleExpiry")
            .effect(Effect.DENY)
            .principals(List.of(new AnyPrincipal()))
            .actions(List.of("s3:DeleteObject", "s3:DeleteObjectVersion"))
            .resources(List.of(metadataExportsBucket.arnForObjects("*")))
            .build());

    metadataTable =
        table(TableDefinition.load(TableDefinition.ARTIFACT_METADATA), "ArtifactMetadataTable");
    auditLogTable = table(TableDefinition.load(TableDefinition.AUDIT_LOG), "AuditLogTable");
    idempotencyTable = table(TableDefinition.load(TableDefinition.IDEMPOTENCY), "IdempotencyTable");
  }

  private static StackProps withTerminationProtection(StackProps props) {
    return StackProps.builder()
        .env(props.getEnv())
        .description(props.getDescription())
        .terminationProtection(true)
        .build();
  }

  private Key bucketKey(String id, String alias) {
    Key key =
        Key.Builder.create(this, id)
            .alias(alias)
            .enableKeyRotation(true)
            .description("Cairn bucket key " + alias)
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();
    ((CfnKey) key.getNode().getDefaultChild()).overrideLogicalId(id);
    return key;
  }

  private Key signingKey(String id, String alias, String description) {
    Key key =
        Key.Builder.create(this, id)
            .alias(alias)
            .keySpec(KeySpec.ECC_NIST_P256)
            .keyUsage(KeyUsage.SIGN_VERIFY)
            .description(description)
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();
    ((CfnKey) key.getNode().getDefaultChild()).overrideLogicalId(id);
    // Asymmetric SIGN_VERIFY keys cannot be rotated by KMS; verifiers pin the public key, so
    // rotation is a new key plus a trust-policy change (cdk-nag KMS5 covers symmetric keys only).
    return key;
  }

  /**
   * S3's documented enforcement of conditional writes: a {@code PutObject} (and so a {@code
   * CopyObject} or {@code CompleteMultipartUpload}) without {@code If-None-Match} is refused, so an
   * existing key can never get a new version; and nobody deletes an object or a version (the
   * candidate bucket's lifecycle expiry is not a request and still applies). Consequences: writers
   * use single conditional PUTs (objects up to 5 GB; {@code CreateMultipartUpload} carries no
   * conditional header and is refused too), and promotion writes verified bytes instead of copying.
   */
  private static void writeOnce(Bucket bucket) {
    bucket.addToResourcePolicy(
        PolicyStatement.Builder.create()
            .sid("DenyWritesThatCouldOverwrite")
            .effect(Effect.DENY)
            .principals(List.of(new AnyPrincipal()))
            .actions(List.of("s3:PutObject"))
            .resources(List.of(bucket.arnForObjects("*")))
            .conditions(Map.of("Null", Map.of("s3:if-none-match", "true")))
            .build());
    bucket.addToResourcePolicy(
        PolicyStatement.Builder.create()
            .sid("DenyDeletes")
            .effect(Effect.DENY)
            .principals(List.of(new AnyPrincipal()))
            .actions(List.of("s3:DeleteObject", "s3:DeleteObjectVersion"))
            .resources(List.of(bucket.arnForObjects("*")))
            .build());
  }

  /**
   * The control plane's item MAC key: HMAC_SHA_256 over every ledger record and audit item it
   * writes. Only the control plane's writers may GenerateMac, its readers VerifyMac (grants in the
   * control-plane stack); CI may do neither. KMS does not rotate HMAC keys: rotating means a new
   * key and re-sealing live items.
   */
  private Key createRecordMacKey() {
    Key key =
        Key.Builder.create(this, "RecordMacKey")
            .alias(CairnNames.RECORD_MAC_KEY_ALIAS)
            .keySpec(KeySpec.HMAC_256)
            .keyUsage(KeyUsage.GENERATE_VERIFY_MAC)
            .description(
                "MACs (HMAC_SHA_256) over cdk-artifact-metadata records and cdk-audit-log items."
                    + " Control-plane functions only.")
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();
    ((CfnKey) key.getNode().getDefaultChild()).overrideLogicalId("RecordMacKey");
    return key;
  }

  private Bucket.Builder kmsBucket(String id, String name, Key key, Bucket accessLogs) {
    return Bucket.Builder.create(this, id)
        .bucketName(name)
        .versioned(true)
        .encryption(BucketEncryption.KMS)
        .encryptionKey(key)
        .bucketKeyEnabled(true)
        .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
        .enforceSsl(true)
        .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
        .serverAccessLogsBucket(accessLogs)
        .serverAccessLogsPrefix(name + "/")
        .removalPolicy(RemovalPolicy.RETAIN);
  }

  /**
   * The spec's "emit the anchor hash to CloudTrail as a custom event": a CloudTrail Lake event data
   * store for events from outside AWS ({@code eventCategory = ActivityAuditLog}), retained as long
   * as the anchors, and a {@code Custom} channel into it that the audit anchorer writes to ({@code
   * cloudtrail-data:PutAuditEvents}). Skipped when the config names an existing channel.
   */
  private String auditLake(CairnConfig config) {
    int retention =
        Math.max(
            MIN_LAKE_RETENTION_DAYS,
            Math.min(MAX_LAKE_RETENTION_DAYS, config.auditAnchorRetentionDays()));
    CfnEventDataStore store =
        CfnEventDataStore.Builder.create(this, "AuditEventDataStore")
            .name(CairnNames.AUDIT_EVENT_DATA_STORE)
            .advancedEventSelectors(
                List.of(
                    CfnEventDataStore.AdvancedEventSelectorProperty.builder()
                        .name("Cairn audit anchors (events from outside AWS)")
                        .fieldSelectors(
                            List.of(
                                CfnEventDataStore.AdvancedFieldSelectorProperty.builder()
                                    .field("eventCategory")
                                    .equalTo(List.of("ActivityAuditLog"))
                                    .build()))
                        .build()))
            .multiRegionEnabled(false)
            .organizationEnabled(false)
            .retentionPeriod(retention)
            .terminationProtectionEnabled(true)
            .build();
    store.overrideLogicalId("AuditEventDataStore");
    store.applyRemovalPolicy(RemovalPolicy.RETAIN);
    CfnChannel channel =
        CfnChannel.Builder.create(this, "AuditAnchorChannel")
            .name(CairnNames.AUDIT_EVENT_CHANNEL)
            .source("Custom")
            .destinations(
                List.of(
                    CfnChannel.DestinationProperty.builder()
                        .type("EVENT_DATA_STORE")
                        .location(store.getAttrEventDataStoreArn())
                        .build()))
            .build();
    return channel.getAttrChannelArn();
  }

  private static void pin(Bucket bucket, String logicalId) {
    ((CfnBucket) bucket.getNode().getDefaultChild()).overrideLogicalId(logicalId);
  }

  /**
   * S3 → EventBridge delivery, set on the bucket resource itself (the L2 flag would add a
   * notifications custom-resource Lambda).
   */
  private static void enableEventBridge(Bucket bucket) {
    ((CfnBucket) bucket.getNode().getDefaultChild())
        .setNotificationConfiguration(
            CfnBucket.NotificationConfigurationProperty.builder()
                .eventBridgeConfiguration(
                    CfnBucket.EventBridgeConfigurationProperty.builder()
                        .eventBridgeEnabled(true)
                        .build())
                .build());
  }

  private void protectContexts(CairnConfig config) {
    String generatorRoleArn =
        "arn:"
            + getPartition()
            + ":iam::"
            + config.toolsAccount().account()
            + ":role/"
            + CairnNames.CONTEXT_GENERATOR_ROLE;
    contextsBucket.addToResourcePolicy(
        PolicyStatement.Builder.create()
            .sid("WriteOnlyByContextGenerator")
            .effect(Effect.DENY)
            .principals(List.of(new AnyPrincipal()))
            .actions(List.of("s3:PutObject"))
            .resources(List.of(contextsBucket.arnForObjects("*")))
            .conditions(Map.of("ArnNotEquals", Map.of("aws:PrincipalArn", generatorRoleArn)))
            .build());
    PolicyStatement.Builder deleteDeny =
        PolicyStatement.Builder.create()
            .sid("DenyDeleteExceptSecurityAutomation")
            .effect(Effect.DENY)
            .principals(List.of(new AnyPrincipal()))
            .actions(List.of("s3:DeleteObject", "s3:DeleteObjectVersion"))
            .resources(List.of(contextsBucket.arnForObjects("*")));
    config
        .securityAutomationRole()
        .ifPresent(
            arn -> deleteDeny.conditions(Map.of("ArnNotEquals", Map.of("aws:PrincipalArn", arn))));
    contextsBucket.addToResourcePolicy(deleteDeny.build());
  }

  private Table table(TableDefinition def, String logicalId) {
    Table.Builder b =
        Table.Builder.create(this, logicalId)
            .tableName(def.tableName())
            .partitionKey(attribute(def, def.partitionKey()))
            .billingMode(BillingMode.PAY_PER_REQUEST)
            .pointInTimeRecoverySpecification(
                PointInTimeRecoverySpecification.builder()
                    .pointInTimeRecoveryEnabled(def.pointInTimeRecovery())
                    .build())
            .encryption(TableEncryption.AWS_MANAGED)
            .deletionProtection(true)
            .removalPolicy(RemovalPolicy.RETAIN);
    def.sortKey().ifPresent(k -> b.sortKey(attribute(def, k)));
    def.ttlAttribute().ifPresent(b::timeToLiveAttribute);
    Table table = b.build();
    for (TableDefinition.Index gsi : def.globalSecondaryIndexes()) {
      GlobalSecondaryIndexProps.Builder g =
          GlobalSecondaryIndexProps.builder()
              .indexName(gsi.indexName())
              .partitionKey(attribute(def, gsi.partitionKey()))
              .projectionType(ProjectionType.valueOf(gsi.projection()));
      gsi.sortKey().ifPresent(k -> g.sortKey(attribute(def, k)));
      table.addGlobalSecondaryIndex(g.build());
    }
    ((CfnTable) table.getNode().getDefaultChild()).overrideLogicalId(logicalId);
    return table;
  }

  private static Attribute attribute(TableDefinition def, String name) {
    String type = def.attributeTypes().get(name);
    if (type == null) {
      throw new IllegalStateException(def.tableName() + ": no attribute definition for " + name);
    }
    AttributeType t =
        switch (type) {
          case "S" -> AttributeType.STRING;
          case "N" -> AttributeType.NUMBER;
          case "B" -> AttributeType.BINARY;
          default -> throw new IllegalStateException("unknown attribute type " + type);
        };
    return Attribute.builder().name(name).type(t).build();
  }

  public Bucket candidateBucket() {
    return candidateBucket;
  }

  public Bucket releaseBucket() {
    return releaseBucket;
  }

  public Bucket contextsBucket() {
    return contextsBucket;
  }

  /** The CloudTrail Lake channel the audit anchorer writes its custom events to. */
  public String auditChannelArn() {
    return auditChannelArn;
  }

  public Bucket auditAnchorsBucket() {
    return auditAnchorsBucket;
  }

  public Bucket metadataExportsBucket() {
    return metadataExportsBucket;
  }

  public Table metadataTable() {
    return metadataTable;
  }

  public Table auditLogTable() {
    return auditLogTable;
  }

  public Table idempotencyTable() {
    return idempotencyTable;
  }

  public Key artifactSignerKey() {
    return artifactSignerKey;
  }

  public Key contextSignerKey() {
    return contextSignerKey;
  }

  public Key artifactsBucketKey() {
    return artifactsBucketKey;
  }

  public Key contextsBucketKey() {
    return contextsBucketKey;
  }

  public Key auditBucketKey() {
    return auditBucketKey;
  }

  public Key recordMacKey() {
    return recordMacKey;
  }
}
