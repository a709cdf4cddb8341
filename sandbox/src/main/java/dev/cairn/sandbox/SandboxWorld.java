package dev.cairn.sandbox;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.asl.AslExecutor;
import dev.cairn.asl.ExecutionListener;
import dev.cairn.asl.ExecutionResult;
import dev.cairn.asl.StateMachine;
import dev.cairn.asl.TaskFailure;
import dev.cairn.asl.TaskHandlers;
import dev.cairn.asl.VirtualClock;
import dev.cairn.aws.audit.DynamoDbAuditLog;
import dev.cairn.aws.cloudformation.AssumedRoleStackDeployers;
import dev.cairn.aws.cloudwatch.CloudWatchAlarmMonitor;
import dev.cairn.aws.ledger.DynamoDbDeploymentLedger;
import dev.cairn.aws.s3.S3ArtifactStore;
import dev.cairn.aws.s3.S3BlessedContexts;
import dev.cairn.core.audit.Actor;
import dev.cairn.core.audit.AuditChain;
import dev.cairn.core.context.ContextLayout;
import dev.cairn.core.integrity.ArtifactLayout;
import dev.cairn.core.integrity.LocalDirectoryArtifactSource;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.ArtifactKey;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.CandidateRecords;
import dev.cairn.core.ledger.DeploymentLedger;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import dev.cairn.core.manifest.ManifestFactory;
import dev.cairn.core.pipeline.DeployerActions;
import dev.cairn.core.pipeline.EnvironmentChain;
import dev.cairn.core.pipeline.EnvironmentPolicy;
import dev.cairn.core.pipeline.PipelineServices;
import dev.cairn.core.pipeline.VerifyArtifact;
import dev.cairn.core.signature.PemKeySigner;
import dev.cairn.core.signature.PemKeys;
import dev.cairn.core.signature.SignatureAlgorithm;
import dev.cairn.core.trust.TrustPolicy;
import dev.cairn.core.verify.VerifierOptions;
import dev.cairn.lambda.deployer.DeployerHandler;
import dev.cairn.lambda.verifier.ManifestVerifierHandler;
import dev.cairn.testing.LocalDynamoDb;
import dev.cairn.testing.LocalS3;
import dev.cairn.testing.fake.FakeCloudFormationClient;
import dev.cairn.testing.fake.FakeCloudWatchClient;
import dev.cairn.testing.fake.FakeCodeBuildClient;
import dev.cairn.testing.fake.FakeEventBridgeClient;
import dev.cairn.testing.fake.FakeSnsClient;
import dev.cairn.testing.fake.FakeSsmClient;
import dev.cairn.testing.fake.FakeStsClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.codebuild.model.Build;
import software.amazon.awssdk.services.codebuild.model.EnvironmentVariable;
import software.amazon.awssdk.services.codebuild.model.StatusType;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Everything one sandbox run needs, started in this JVM: DynamoDB Local and S3Proxy on loopback,
 * the spec's tables and buckets, honest fakes for CloudFormation, STS, SSM, CodeBuild, CloudWatch,
 * EventBridge and SNS, a generated signing key and trust policy, and the production state machine
 * wired to the real manifest-verifier and deployer handler classes. Time is virtual.
 */
final class SandboxWorld implements AutoCloseable {

  static final String SERVICE = "hello-service";
  static final String REGION = "us-east-1";
  static final String TOOLS_ACCOUNT = "000000000000";
  static final String STAGE_ACCOUNT = "111111111111";
  static final String PROD_ACCOUNT = "222222222222";
  static final String CANDIDATE = "cdk-artifacts-candidate";
  static final String RELEASE = "cdk-artifacts-release";
  static final String CONTEXTS = "cdk-contexts";
  static final String ANCHORS = "audit-log-anchors";
  static final String EXPORTS = "cdk-artifact-metadata-exports";
  static final String METADATA_TABLE = "cdk-artifact-metadata";
  static final String AUDIT_TABLE = "cdk-audit-log";
  static final String IDEMPOTENCY_TABLE = "cairn-idempotency";
  static final String CLI_VERSION = "2.1148.1";
  static final String SIGNER = "kms:alias/cdk-ci-artifact-signer";
  static final String VERIFIER_ARN =
      "arn:aws:lambda:us-east-1:000000000000:function:cairn-manifest-verifier";
  static final String DEPLOYER_ARN =
      "arn:aws:lambda:us-east-1:000000000000:function:cairn-deployer";
  static final String ALERT_TOPIC = "arn:aws:sns:us-east-1:000000000000:cairn-alerts";
  static final String PROD_ALARM = "hello-prod-5xx";
  static final Instant START = Instant.parse("2026-11-22T09:00:00Z");

  /** One finished execution, as the summary lists it. */
  record Execution(String name, String environment, String commitSha, ExecutionResult result) {}

  final LocalDynamoDb dynamoServer;
  final LocalS3 s3Server;
  final DynamoDbClient dynamoDb;
  final S3Client s3;
  final VirtualClock clock = new VirtualClock(START);
  final FakeCloudFormationClient.Accounts cloudFormation;
  final FakeStsClient sts;
  final Map<String, FakeSsmClient> ssm = new LinkedHashMap<>();
  final FakeCloudWatchClient cloudWatch;
  final FakeCodeBuildClient codeBuild;
  final FakeEventBridgeClient events;
  final FakeSnsClient sns;
  final dev.cairn.testing.fake.FakeEcrClient ecr;
  final dev.cairn.testing.RecordingPipelineMetrics metrics =
      new dev.cairn.testing.RecordingPipelineMetrics();
  final DeploymentLedger ledger;
  final DynamoDbAuditLog auditLog;
  final S3ArtifactStore store;
  final EnvironmentChain chain;
  final TrustPolicy trustPolicy;
  final PemKeySigner signer;
  final StateMachine machine;
  final String contextHash;
  final List<Execution> executions = new ArrayList<>();
  final List<ArtifactKey> published = new ArrayList<>();

  /** The real Lambda handlers, as the state machine invokes them. */
  final RequestStreamHandler verifier;

  final RequestStreamHandler deployer;

  private final AslExecutor executor;
  private final ExecutionListener progress;
  private int executionCounter;

  // --- Issue 6, trust (TrustScenarios): approvals counted by the lease ------------------------

  /** The services the deployer runs with. */
  PipelineServices services;

  /**
   * Distinct operator approvals an environment requires (a scenario sets prod's). When any is set,
   * the deployer's {@code acquire_lease} runs {@link dev.cairn.core.pipeline.LeaseUseCase} with
   * {@link #approvals} and this chain, as the deployer will once DeployerActions passes the
   * approvals port.
   */
  final Map<String, Integer> approvalsRequired = new LinkedHashMap<>();

  /** Where the lease counts approvals (the override Lambda's approval store). */
  volatile dev.cairn.core.pipeline.LeaseUseCase.Approvals approvals = (key, env) -> 0;

  /**
   * Sees every history event of every execution before the progress printer; a scenario may throw
   * from it to make the orchestrator hang or die at a chosen point (SelfHealingScenarios).
   */
  volatile java.util.function.Consumer<dev.cairn.asl.HistoryEvent> interrupter = e -> {};

  SandboxWorld(Path statemachineFile, ExecutionListener progress) throws IOException {
    this.progress = progress;
    this.dynamoServer = LocalDynamoDb.start(0);
    this.s3Server = LocalS3.start(0);
    this.dynamoDb = dynamoServer.client();
    this.s3 = s3Server.client();
    dynamoServer.createTable(dynamoDb, METADATA_TABLE, METADATA_TABLE);
    dynamoServer.createTable(dynamoDb, AUDIT_TABLE, AUDIT_TABLE);
    dynamoServer.createTable(dynamoDb, IDEMPOTENCY_TABLE, IDEMPOTENCY_TABLE);
    for (String b : List.of(CANDIDATE, RELEASE, CONTEXTS, ANCHORS, EXPORTS)) {
      LocalS3.createVersionedBucket(s3, b);
    }

    // CI's signing key and the trust policy that pins it (KMS's ECC_NIST_P256 / ECDSA_SHA_256).
    KeyPair key = PemKeys.generate(SignatureAlgorithm.ECDSA_SHA_256);
    this.signer = new PemKeySigner(SIGNER, key.getPrivate());
    this.trustPolicy =
        TrustPolicy.of(
            List.of(
                new TrustPolicy.SignerSpec(
                    SIGNER, SignatureAlgorithm.ECDSA_SHA_256, PemKeys.toPem(key.getPublic()))),
            List.of(CLI_VERSION),
            List.of("refs/heads/main"));

    // The environment chain: the spec's stage -> prod.
    this.chain =
        new EnvironmentChain(
            List.of(
                environment("stage", STAGE_ACCOUNT, false, "hello-stage-tests", 0, List.of()),
                environment(
                    "prod",
                    PROD_ACCOUNT,
                    true,
                    "hello-prod-smoke-tests",
                    600,
                    List.of(PROD_ALARM))));

    // A blessed context for every environment (the same file: it covers both accounts).
    byte[] context =
        "{\"availability-zones:account=111111111111:region=us-east-1\":[\"us-east-1a\",\"us-east-1b\"],\"availability-zones:account=222222222222:region=us-east-1\":[\"us-east-1a\",\"us-east-1b\"]}\n"
            .getBytes(StandardCharsets.UTF_8);
    this.contextHash = Sha256.hex(context);
    for (EnvironmentPolicy e : chain.environments()) {
      s3.putObject(
          r -> r.bucket(CONTEXTS).key(ContextLayout.latestContextKey(e.name())),
          RequestBody.fromBytes(context));
      s3.putObject(
          r -> r.bucket(CONTEXTS).key(ContextLayout.latestHashKey(e.name())),
          RequestBody.fromString(ContextLayout.hashFile(contextHash, "latest.context.json")));
    }

    // Fakes for the services with no local emulator.
    this.cloudFormation = new FakeCloudFormationClient.Accounts(clock, s3, REGION);
    this.sts =
        new FakeStsClient(TOOLS_ACCOUNT, "arn:aws:iam::000000000000:role/cairn-deployer", clock);
    for (EnvironmentPolicy e : chain.environments()) {
      sts.allowRole(e.deployRoleArn());
      sts.allowRole(e.readOnlyRoleArn());
      FakeSsmClient s = new FakeSsmClient(e.account(), REGION, clock);
      s.seed("/cdk-bootstrap/hnb659fds/version", "21");
      ssm.put(e.account(), s);
    }
    this.cloudWatch = new FakeCloudWatchClient(PROD_ACCOUNT, REGION, clock);
    cloudWatch.setAlarmState(PROD_ALARM, StateValue.OK, "Threshold not crossed");
    this.codeBuild = new FakeCodeBuildClient(TOOLS_ACCOUNT, REGION, clock);
    for (EnvironmentPolicy e : chain.environments()) {
      codeBuild.project(e.testsProject());
    }
    this.events = new FakeEventBridgeClient(clock);
    this.sns = new FakeSnsClient();
    this.ecr = new dev.cairn.testing.fake.FakeEcrClient(TOOLS_ACCOUNT, clock);
    // The CDK bootstrap asset bucket of every target environment (cdk-assets publishes there).
    for (EnvironmentPolicy e : chain.environments()) {
      LocalS3.createVersionedBucket(s3, assetBucket(e));
    }

    // Cairn's adapters on the local services: the same classes the Lambdas use.
    this.ledger = new DynamoDbDeploymentLedger(dynamoDb, METADATA_TABLE, AUDIT_TABLE, clock);
    this.auditLog = new DynamoDbAuditLog(dynamoDb, AUDIT_TABLE, AuditChain.DEFAULT_CHAIN_ID);
    this.store = new S3ArtifactStore(s3, null);
    PipelineServices services =
        new PipelineServices(
            ledger,
            store,
            new AssumedRoleStackDeployers(
                sts,
                new AssumedRoleStackDeployers.ClientFactory() {
                  @Override
                  public software.amazon.awssdk.services.cloudformation.CloudFormationClient
                      cloudFormation(
                          EnvironmentPolicy e,
                          software.amazon.awssdk.auth.credentials.AwsCredentialsProvider c) {
                    return cloudFormation.forAccount(e.account());
                  }

                  @Override
                  public software.amazon.awssdk.services.ssm.SsmClient ssm(
                      EnvironmentPolicy e,
                      software.amazon.awssdk.auth.credentials.AwsCredentialsProvider c) {
                    return ssm.get(e.account());
                  }
                }),
            new CloudWatchAlarmMonitor(sts, (e, c) -> cloudWatch),
            metrics,
            chain,
            trustPolicy,
            CANDIDATE,
            RELEASE,
            clock::advance,
            clock);
    this.verifier =
        new ManifestVerifierHandler(
            new VerifyArtifact(
                store,
                ledger,
                new S3BlessedContexts(s3, CONTEXTS),
                trustPolicy,
                metrics,
                VerifierOptions.pipeline(),
                chain,
                new dev.cairn.aws.assets.S3EcrAssetDestinations(
                    sts, (e, c) -> s3, (e, c) -> ecr, clock),
                clock));
    this.services = services;
    this.deployer =
        new DeployerHandler(
            new DeployerActions(services, (artifact, env) -> approvals.distinct(artifact, env)));
    TaskHandlers handlers =
        new TaskHandlers()
            .lambda(VERIFIER_ARN, req -> invoke(verifier, req.payload()))
            .lambda(DEPLOYER_ARN, req -> deployerTask(req.payload()))
            .service("arn:aws:states:::codebuild:startBuild.sync", req -> runBuild(req.payload()))
            .service("arn:aws:states:::events:putEvents", req -> putEvents(req.payload()))
            .service("arn:aws:states:::sns:publish", req -> publish(req.payload()));
    this.executor =
        AslExecutor.builder()
            .handlers(handlers)
            .random(new Random(7))
            .listener(interruptible(progress))
            .build();
    String definition =
        substitute(
            Files.readString(statemachineFile),
            Map.of(
                "ManifestVerifierFunctionArn", VERIFIER_ARN,
                "DeployerFunctionArn", DEPLOYER_ARN,
                "EventBusName", "cairn-pipeline",
                "AlertTopicArn", ALERT_TOPIC,
                "MaxRollbackAttempts", "2"));
    this.machine = StateMachine.parse("DeployArtifactPipeline", definition);
  }

  private ExecutionListener interruptible(ExecutionListener progress) {
    return new ExecutionListener() {
      @Override
      public void onEvent(dev.cairn.asl.HistoryEvent event) {
        interrupter.accept(event);
        progress.onEvent(event);
      }

      @Override
      public void onStateCompleted(String stateName, String stateType, Duration duration) {
        progress.onStateCompleted(stateName, stateType, duration);
      }
    };
  }

  static EnvironmentPolicy environment(
      String name,
      String account,
      boolean drift,
      String tests,
      long bakeSeconds,
      List<String> alarms) {
    return new EnvironmentPolicy(
        name,
        account,
        REGION,
        "arn:aws:iam::" + account + ":role/cairn-" + name + "-deploy",
        "arn:aws:iam::" + account + ":role/cairn-" + name + "-cfn-exec",
        "arn:aws:iam::" + account + ":role/cairn-" + name + "-readonly",
        drift,
        tests,
        bakeSeconds,
        alarms,
        0,
        null);
  }

  /** CDK's DefinitionSubstitutions: every {@code ${Name}} replaced; an unmapped one is an error. */
  static String substitute(String text, Map<String, String> values) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (true) {
      int start = text.indexOf("${", i);
      if (start < 0) {
        out.append(text, i, text.length());
        return out.toString();
      }
      int end = text.indexOf('}', start);
      String name = text.substring(start + 2, end);
      String value = values.get(name);
      if (value == null) {
        throw new IllegalArgumentException(
            "the definition has an unmapped placeholder ${" + name + "}");
      }
      out.append(text, i, start).append(value);
      i = end + 1;
    }
  }

  // --- CI ------------------------------------------------------------------------------------

  /**
   * Publishes as CI does: manifest create + sign, upload (manifest last), candidate record with its
   * audit entry. {@code mutate} may change the copied cdk.out first (a second commit).
   */
  ArtifactKey publish(
      Path exampleCdkOut,
      String commitSha,
      String previousCommit,
      java.util.function.Consumer<Path> mutate)
      throws Exception {
    Path work = Files.createTempDirectory("cairn-sandbox-");
    Path cdkOut = work.resolve("cdk.out");
    copyTree(exampleCdkOut, cdkOut);
    mutate.accept(cdkOut);
    ObjectNode manifest =
        ManifestFactory.create(
            new LocalDirectoryArtifactSource(cdkOut),
            new ManifestFactory.BuildFacts(
                SERVICE,
                commitSha,
                "refs/heads/main",
                true,
                CLI_VERSION,
                contextHash,
                Map.of("aws-cdk-lib", "2.263.0"),
                clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(),
                42));
    ObjectNode signed = ManifestFactory.sign(manifest, signer);
    Path manifestFile = work.resolve(ArtifactLayout.MANIFEST_FILE);
    Files.writeString(manifestFile, Json.pretty(signed));
    publishAssets(cdkOut);
    store.upload(CANDIDATE, SERVICE, commitSha, cdkOut, manifestFile);
    ArtifactKey key = new ArtifactKey(SERVICE, commitSha);
    List<CandidateRecords.Environment> envs =
        chain.environments().stream()
            .map(e -> new CandidateRecords.Environment(e.name(), e.region()))
            .toList();
    ArtifactRecord candidate =
        CandidateRecords.candidate(
            key,
            signed.get("artifact_sha256").asText(),
            "s3://" + CANDIDATE + "/" + ArtifactLayout.prefix(SERVICE, commitSha),
            signed.get("build_time").asText(),
            CLI_VERSION,
            contextHash,
            Map.of("aws-cdk-lib", "2.263.0"),
            true,
            previousCommit,
            REGION,
            envs);
    ledger.create(candidate, new Actor(ActorRole.CI, "github-actions"));
    published.add(key);
    return key;
  }

  /** The CDK bootstrap asset bucket of an environment (default qualifier hnb659fds). */
  static String assetBucket(EnvironmentPolicy e) {
    return "cdk-hnb659fds-assets-" + e.account() + "-" + e.region();
  }

  /**
   * What CI's {@code cdk-assets publish-all} does: every file asset to its destination object, and
   * every directory asset zipped (entries sorted, fixed timestamps) to its destination object.
   */
  void publishAssets(Path cdkOut) throws IOException {
    try (var files = Files.list(cdkOut)) {
      for (Path assets :
          files.filter(p -> p.getFileName().toString().endsWith(".assets.json")).toList()) {
        JsonNode root = Json.parse(Files.readAllBytes(assets));
        for (var it = root.path("files").fields(); it.hasNext(); ) {
          var asset = it.next();
          Path source = cdkOut.resolve(asset.getValue().at("/source/path").asText());
          byte[] body = Files.isDirectory(source) ? zip(source) : Files.readAllBytes(source);
          for (JsonNode dest : asset.getValue().path("destinations")) {
            String bucket = dest.path("bucketName").asText();
            String key = dest.path("objectKey").asText();
            // Assets are content-addressed: like cdk-assets, publish only what is not there yet.
            if (!store.exists(bucket, key)) {
              s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(body));
            }
          }
        }
      }
    }
  }

  static byte[] zip(Path dir) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (var zip = new java.util.zip.ZipOutputStream(out);
        var walk = Files.walk(dir)) {
      for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
        var entry = new java.util.zip.ZipEntry(dir.relativize(f).toString().replace('\\', '/'));
        entry.setTime(0);
        zip.putNextEntry(entry);
        Files.copy(f, zip);
        zip.closeEntry();
      }
    }
    return out.toByteArray();
  }

  // --- Events and executions -------------------------------------------------------------------

  /**
   * What the EventBridge rule does with an S3 ObjectCreated event on a manifest key: the candidate
   * bucket starts the first environment; the release bucket starts the environment the ledger holds
   * {@code pending} after promotion. No local server emits these events, so the sandbox raises them
   * itself.
   */
  List<Execution> objectCreated(String bucket, String key) {
    String[] parts = key.split("/");
    if (parts.length != 3 || !parts[2].equals(ArtifactLayout.MANIFEST_FILE)) {
      return List.of();
    }
    String service = parts[0];
    String commit = parts[1];
    String environment;
    if (bucket.equals(CANDIDATE)) {
      environment = chain.first().name();
    } else {
      Optional<ArtifactRecord> record = ledger.find(new ArtifactKey(service, commit));
      environment =
          record
              .flatMap(
                  r ->
                      chain.names().stream()
                          .skip(1)
                          .filter(n -> r.environment(n).status() == EnvironmentStatus.PENDING)
                          .findFirst())
              .orElse(null);
      if (environment == null) {
        return List.of();
      }
    }
    return run(service, commit, environment, bucket, "s3", "s3-" + (++executionCounter));
  }

  /** Runs one execution; a promotion raises the release bucket's event, as S3 would. */
  List<Execution> run(
      String service,
      String commit,
      String environment,
      String bucket,
      String trigger,
      String name) {
    ObjectNode input = Json.object();
    input.put("service", service);
    input.put("commit_sha", commit);
    input.put("environment", environment);
    input.put("trigger", trigger);
    input.put("bucket", bucket);
    input.put(
        "manifest_key", ArtifactLayout.prefix(service, commit) + ArtifactLayout.MANIFEST_FILE);
    String executionArn =
        "arn:aws:states:us-east-1:000000000000:execution:DeployArtifactPipeline:" + name;
    ExecutionResult result = executor.execute(machine, input, executionArn, clock);
    Execution e = new Execution(name, environment, commit, result);
    executions.add(e);
    List<Execution> all = new ArrayList<>(List.of(e));
    JsonNode output = result.output();
    if (output != null && "promoted".equals(output.path("outcome").asText())) {
      all.addAll(
          objectCreated(
              RELEASE, ArtifactLayout.prefix(service, commit) + ArtifactLayout.MANIFEST_FILE));
    }
    return all;
  }

  /** The deployer task; with approvals configured, {@code acquire_lease} counts them first. */
  private JsonNode deployerTask(JsonNode payload) throws IOException {
    if (!approvalsRequired.isEmpty() && "acquire_lease".equals(payload.path("action").asText())) {
      PipelineServices s = services;
      PipelineServices withApprovals =
          new PipelineServices(
              s.ledger(),
              s.store(),
              s.deployers(),
              s.alarms(),
              s.metrics(),
              chainWithApprovals(),
              s.trustPolicy(),
              s.candidateBucket(),
              s.releaseBucket(),
              s.sleeper(),
              s.clock());
      return new dev.cairn.core.pipeline.LeaseUseCase(withApprovals, approvals)
          .acquire(dev.cairn.core.pipeline.PipelineRequest.from(((ObjectNode) payload).deepCopy()));
    }
    return invoke(deployer, payload);
  }

  /** The environment chain with {@link #approvalsRequired} applied. */
  EnvironmentChain chainWithApprovals() {
    List<EnvironmentPolicy> envs = new ArrayList<>();
    for (EnvironmentPolicy e : chain.environments()) {
      envs.add(
          new EnvironmentPolicy(
              e.name(),
              e.account(),
              e.region(),
              e.deployRoleArn(),
              e.cloudFormationExecutionRoleArn(),
              e.readOnlyRoleArn(),
              e.driftCheck(),
              e.testsProject(),
              e.bakeSeconds(),
              e.alarmNames(),
              approvalsRequired.getOrDefault(e.name(), e.approvalsRequired()),
              e.stackPolicy()));
    }
    return new EnvironmentChain(envs);
  }

  // --- Task handlers -------------------------------------------------------------------------

  private static JsonNode invoke(RequestStreamHandler handler, JsonNode payload)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(
        new ByteArrayInputStream(Json.compact(payload).getBytes(StandardCharsets.UTF_8)),
        out,
        null);
    return Json.parse(out.toByteArray());
  }

  /**
   * {@code codebuild:startBuild.sync}: start, then poll every 30 s of virtual time until terminal.
   */
  private JsonNode runBuild(JsonNode params) {
    List<EnvironmentVariable> vars = new ArrayList<>();
    params
        .path("EnvironmentVariablesOverride")
        .forEach(
            v ->
                vars.add(
                    EnvironmentVariable.builder()
                        .name(v.path("Name").asText())
                        .value(v.path("Value").asText())
                        .type(v.path("Type").asText("PLAINTEXT"))
                        .build()));
    String id =
        codeBuild
            .startBuild(
                r ->
                    r.projectName(params.path("ProjectName").asText())
                        .environmentVariablesOverride(vars))
            .build()
            .id();
    long timeout = params.path("TimeoutInMinutesOverride").asLong(60) * 60;
    for (long waited = 0; ; waited += 30) {
      Build b = codeBuild.batchGetBuilds(r -> r.ids(id)).builds().get(0);
      if (b.buildStatus() != StatusType.IN_PROGRESS) {
        ObjectNode build = Json.object();
        build.put("Id", b.id());
        build.put("ProjectName", b.projectName());
        build.put("BuildStatus", b.buildStatusAsString());
        ObjectNode out = Json.object();
        out.set("Build", build);
        if (b.buildStatus() != StatusType.SUCCEEDED) {
          // What Step Functions reports when a .sync build does not succeed.
          throw new TaskFailure("States.TaskFailed", Json.compact(out));
        }
        return out;
      }
      if (waited >= timeout) {
        throw new TaskFailure(
            "States.Timeout", "build " + id + " ran past " + timeout / 60 + " minutes");
      }
      clock.advance(Duration.ofSeconds(30));
    }
  }

  /** {@code events:putEvents}: Step Functions serialises the Detail object as JSON. */
  private JsonNode putEvents(JsonNode params) {
    List<PutEventsRequestEntry> entries = new ArrayList<>();
    for (JsonNode e : params.path("Entries")) {
      entries.add(
          PutEventsRequestEntry.builder()
              .eventBusName(e.path("EventBusName").asText())
              .source(e.path("Source").asText())
              .detailType(e.path("DetailType").asText())
              .detail(
                  e.path("Detail").isTextual()
                      ? e.path("Detail").asText()
                      : Json.compact(e.path("Detail")))
              .build());
    }
    var resp = events.putEvents(r -> r.entries(entries));
    ObjectNode out = Json.object();
    out.put("FailedEntryCount", resp.failedEntryCount());
    ArrayNode ids = out.putArray("Entries");
    resp.entries().forEach(r -> ids.addObject().put("EventId", r.eventId()));
    return out;
  }

  private JsonNode publish(JsonNode params) {
    var resp =
        sns.publish(
            r ->
                r.topicArn(params.path("TopicArn").asText())
                    .subject(params.path("Subject").asText(null))
                    .message(params.path("Message").asText()));
    ObjectNode out = Json.object();
    out.put("MessageId", resp.messageId());
    return out;
  }

  static void copyTree(Path from, Path to) {
    try (var paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    s3Server.close();
    dynamoServer.close();
  }
}
