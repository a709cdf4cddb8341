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
import dev.cairn.aws.ledger.DynamoDbDeploymentLedger;
import dev.cairn.aws.runtime.LambdaRuntime;
import dev.cairn.aws.s3.S3ArtifactStore;
import dev.cairn.aws.s3.S3BlessedContextStore;
import dev.cairn.core.audit.AuditChain;
import dev.cairn.core.context.ContextBlessReference;
import dev.cairn.core.context.ContextBlesser;
import dev.cairn.core.context.ContextLayout;
import dev.cairn.core.integrity.ArtifactLayout;
import dev.cairn.core.integrity.LocalDirectoryArtifactSource;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.port.DeploymentLedger;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.manifest.ManifestFactory;
import dev.cairn.core.pipeline.EnvironmentChain;
import dev.cairn.core.pipeline.EnvironmentPolicy;
import dev.cairn.core.signature.PemKeySigner;
import dev.cairn.core.signature.PemKeys;
import dev.cairn.core.trust.TrustPolicy;
import dev.cairn.local.emulators.CloudFormationEmulator;
import dev.cairn.local.emulators.CloudTrailDataEmulator;
import dev.cairn.local.emulators.CloudWatchEmulator;
import dev.cairn.local.emulators.CodeBuildEmulator;
import dev.cairn.local.emulators.EventBridgeEmulator;
import dev.cairn.local.emulators.SnsEmulator;
import dev.cairn.local.emulators.SsmEmulator;
import dev.cairn.local.emulators.StackOperationTimes;
import dev.cairn.local.emulators.StsEmulator;
import dev.cairn.local.servers.LocalDynamoDb;
import dev.cairn.local.servers.LocalS3;
import dev.cairn.sandbox.assembly.ControlPlaneAssembly;
import dev.cairn.sandbox.events.AwsEvents;
import dev.cairn.sandbox.events.EventRule;
import dev.cairn.sandbox.iam.RecordedCall;
import dev.cairn.sandbox.iam.ResourceHandlerPermissions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.codebuild.model.Build;
import software.amazon.awssdk.services.codebuild.model.EnvironmentVariable;
import software.amazon.awssdk.services.codebuild.model.StatusType;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
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

  /** The installation id the synthesized control-plane config carries (tools account:region). */
  static final String INSTALLATION_ID = TOOLS_ACCOUNT + ":" + REGION;

  /** How long before CI's build each published commit was made (its signed commit_time). */
  static final Duration COMMIT_TO_BUILD = Duration.ofMinutes(20);

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

  /** The context generator's key, as the config pins it (context_signer_keys). */
  static final String CONTEXT_SIGNER = "kms:alias/cdk-context-signer";

  /** The context generator's role (a fixed physical name in CairnCiOidcStack). */
  static final String CONTEXT_GENERATOR_ROLE =
      "arn:aws:iam::" + TOOLS_ACCOUNT + ":role/cdk-context-generator";

  static final String PROD_ALARM = "hello-prod-5xx";
  static final Instant START = Instant.parse("2026-11-22T09:00:00Z");

  /** One finished execution, as the summary lists it. */
  record Execution(String name, String environment, String commitSha, ExecutionResult result) {}

  final LocalDynamoDb dynamoServer;
  final LocalS3 s3Server;
  final DynamoDbClient dynamoDb;
  final S3Client s3;
  final VirtualClock clock;
  final CloudFormationEmulator.Accounts cloudFormation;
  final Map<String, SsmEmulator> ssm = new LinkedHashMap<>();
  final CloudWatchEmulator cloudWatch;
  final Map<String, CloudWatchEmulator> cloudWatches = new LinkedHashMap<>();
  final CloudTrailDataEmulator cloudTrail = new CloudTrailDataEmulator();
  final S3EventNotifications notifications = new S3EventNotifications(this::raiseObjectCreated);
  final CodeBuildEmulator codeBuild;
  final EventBridgeEmulator events;
  final SnsEmulator sns;

  /**
   * Each target account's ECR registry, holding the container-asset repository {@code cdk
   * bootstrap} creates there (with the template's tag mutability).
   */
  final Map<String, dev.cairn.local.emulators.EcrEmulator> registries = new LinkedHashMap<>();

  /** Before CI pushes an image asset to a destination (an attack's hook); nothing by default. */
  ImagePushListener beforeImagePush = (account, repository, tag) -> {};

  /** Told of each image push CI is about to make. */
  @FunctionalInterface
  interface ImagePushListener {
    void beforePush(String account, String repository, String tag) throws Exception;
  }

  /** The tools account's KMS: the keys the templates create (the record MAC key among them). */
  final dev.cairn.local.emulators.KmsEmulator kms =
      new dev.cairn.local.emulators.KmsEmulator(TOOLS_ACCOUNT, REGION);

  /** The EMF documents the production metrics adapter wrote (Powertools, captured at its sink). */
  final dev.cairn.sandbox.metrics.EmfCapture emf;

  final DeploymentLedger ledger;
  final DynamoDbAuditLog auditLog;
  final S3ArtifactStore store;

  /**
   * What {@code cairn publish} uses in CI: clients signed as the CI role, every call recorded. CI
   * holds no DynamoDB client: it uploads, then invokes the registrar.
   */
  record Ci(String roleArn, S3ArtifactStore store, LambdaClient lambda) {}

  final Ci ci;
  final EnvironmentChain chain;
  final TrustPolicy trustPolicy;
  final PemKeySigner signer;
  final StateMachine machine;

  /** The context generator's blessing key (the private half of the pinned context signer). */
  final PemKeySigner contextSigner;

  /** The context generator: its role and the contexts bucket as that role reaches it. */
  record ContextGenerator(String roleArn, S3BlessedContextStore store) {}

  final ContextGenerator contextGenerator;
  final List<Execution> executions = new ArrayList<>();
  final List<ArtifactKey> published = new ArrayList<>();

  /** The real Lambda handlers, as the state machine invokes them. */
  final RequestStreamHandler verifier;

  final RequestStreamHandler deployer;

  private final AslExecutor executor;
  private final ExecutionListener progress;
  private int executionCounter;

  /**
   * Sees every history event of every execution before the progress printer; a scenario may throw
   * from it to make the orchestrator hang or die at a chosen point (SelfHealingScenarios).
   */
  volatile java.util.function.Consumer<dev.cairn.asl.HistoryEvent> interrupter = e -> {};

  /** The alert topic the functions publish to ({@code ALERT_TOPIC_ARN}). */
  String alertTopicArn() {
    return functions.get("override").spec().environment().get("ALERT_TOPIC_ARN");
  }

  /** The state machine's ARN and role, from the assembly. */
  final String stateMachineArn;

  final String stateMachineRoleArn;

  /** Cairn's synthesized cloud assembly: what this world runs. */
  final ControlPlaneAssembly assembly;

  /** Every AWS call made in the world, with its principal. */
  final CallLog calls = new CallLog();

  /**
   * Decides a resource handler's call as CloudFormation makes it. By default every call is recorded
   * and IAM decides them all after the run; an attack scenario has IAM decide each one inline, so a
   * refused call fails the resource, as in AWS.
   */
  @FunctionalInterface
  interface ResourceHandlerIam {
    ResourceHandlerIam AFTER_THE_RUN = call -> java.util.Optional.empty();

    java.util.Optional<dev.cairn.sandbox.iam.IamCheck.Denial> decide(RecordedCall call);
  }

  volatile ResourceHandlerIam resourceHandlerIam = ResourceHandlerIam.AFTER_THE_RUN;

  /** The roles the emulated stacks created, with their permissions boundaries. */
  /** The key policies of the KMS keys the user's stacks created, for the IAM check. */
  final dev.cairn.sandbox.iam.KeyPolicyRegistry keyPolicies =
      new dev.cairn.sandbox.iam.KeyPolicyRegistry();

  final dev.cairn.sandbox.iam.BucketAccountRegistry userBuckets =
      new dev.cairn.sandbox.iam.BucketAccountRegistry();

  final dev.cairn.sandbox.iam.RoleBoundaryRegistry roleBoundaries =
      new dev.cairn.sandbox.iam.RoleBoundaryRegistry();

  /** The tools account's SSM parameters, created from the template. */
  final SsmEmulator toolsSsm;

  /** The tools account's Step Functions: started executions run when the world drains. */
  final dev.cairn.local.emulators.SfnEmulator sfn;

  /** The synthesized schedules, on the virtual clock. */
  Schedules schedules;

  /** The synthesized rules, as EventBridge applies them. */
  final List<EventRule> rules = new ArrayList<>();

  /** Which rule and event started each execution (by execution name). */
  final Map<String, Trigger> triggers = new LinkedHashMap<>();

  /** One execution's start: the rule (logical id) and the event it matched. */
  record Trigger(String rule, JsonNode event) {}

  /** The control plane's functions, by their {@code CAIRN_FUNCTION} (deployer, sweeper, ...). */
  final Map<String, LambdaFunction> functions = new LinkedHashMap<>();

  private final SandboxClients.Sessions sessions = new SandboxClients.Sessions();
  private final AwsEvents awsEvents;
  private final List<Runnable> pendingExecutions = new ArrayList<>();
  private final List<JsonNode> pendingEvents = new ArrayList<>();
  private int eventIds;

  SandboxWorld(ExecutionListener progress) throws IOException {
    this(ControlPlaneAssembly.fromClasspath(), progress);
  }

  SandboxWorld(ControlPlaneAssembly assembly, ExecutionListener progress) throws IOException {
    this(assembly, progress, LocalDynamoDb.start(0), LocalS3.start(0), START);
  }

  /**
   * The world on servers the caller started (the live control plane's fixed ports), its clock
   * starting at {@code start}; the world stops them when it closes.
   */
  SandboxWorld(
      ControlPlaneAssembly assembly,
      ExecutionListener progress,
      LocalDynamoDb dynamoServer,
      LocalS3 s3Server,
      Instant start)
      throws IOException {
    this.clock = new VirtualClock(start);
    this.progress = progress;
    this.assembly = assembly;
    this.awsEvents = new AwsEvents(() -> String.format("sandbox-event-%06d", ++eventIds));
    this.dynamoServer = dynamoServer;
    this.s3Server = s3Server;
    this.dynamoDb = dynamoServer.client();
    this.s3 = s3Server.client();

    // The stateful resources, as the templates define them.
    dev.cairn.sandbox.assembly.LocalResources resources =
        new dev.cairn.sandbox.assembly.LocalResources();
    // On a running `sandbox up` (--reuse) they exist already, made from this same assembly.
    if (!dynamoServer.attached()) {
      resources.createTables(assembly, dynamoDb);
      resources.createBuckets(assembly, s3);
    }
    for (ControlPlaneAssembly.Resource b : assembly.resources("AWS::S3::Bucket")) {
      if (b.properties()
          .at("/NotificationConfiguration/EventBridgeConfiguration/EventBridgeEnabled")
          .asBoolean(false)) {
        notifications.enable(b.physicalId());
      }
    }
    this.toolsSsm = new SsmEmulator(TOOLS_ACCOUNT, REGION, clock);
    for (ControlPlaneAssembly.Resource p : assembly.resources("AWS::SSM::Parameter")) {
      toolsSsm.seed(p.physicalId(), p.properties().path("Value").asText());
    }
    // Every later change raises Parameter Store Change on the default bus, as SSM does; the
    // synthesized rules decide where it goes.
    toolsSsm.onChange(
        (operation, p, description) ->
            raise(
                awsEvents.ssmParameterStoreChange(
                    TOOLS_ACCOUNT,
                    REGION,
                    clock.instant(),
                    p.arn(),
                    operation,
                    p.name(),
                    p.typeAsString(),
                    description)));

    // The installation's configuration is the control-plane parameter the template writes.
    ControlPlaneAssembly.FunctionSpec deployerSpec = assembly.function("deployer");
    String configJson =
        toolsSsm
            .value(deployerSpec.environment().get("CONTROL_PLANE_CONFIG_PARAMETER"))
            .orElseThrow();
    dev.cairn.core.pipeline.ControlPlaneConfig config =
        dev.cairn.core.pipeline.ControlPlaneConfig.parse(configJson, "aws");
    this.chain = config.chain();
    this.trustPolicy = config.trustPolicy();
    // CI's signing key: the private half of the key the parameter pins (generated at build time).
    this.signer =
        new PemKeySigner(
            SIGNER,
            PemKeys.readPrivateKey(ControlPlaneAssembly.classpathFile("keys/ci-signer.pem")));

    // The context generator blesses a context for every environment (the same file: it covers
    // both accounts), as `cairn context bless` does, with its role's S3 calls recorded.
    this.contextSigner =
        new PemKeySigner(
            CONTEXT_SIGNER,
            PemKeys.readPrivateKey(ControlPlaneAssembly.classpathFile("keys/context-signer.pem")));
    this.contextGenerator =
        new ContextGenerator(
            CONTEXT_GENERATOR_ROLE,
            new S3BlessedContextStore(
                s3Server.client(calls.interceptor(CONTEXT_GENERATOR_ROLE)), CONTEXTS));
    byte[] context =
        "{\"availability-zones:account=111111111111:region=us-east-1\":[\"us-east-1a\",\"us-east-1b\"],\"availability-zones:account=222222222222:region=us-east-1\":[\"us-east-1a\",\"us-east-1b\"]}\n"
            .getBytes(StandardCharsets.UTF_8);
    for (EnvironmentPolicy e : chain.environments()) {
      bless(e.name(), context);
    }

    // The emulated accounts: CloudFormation, SSM and CloudWatch in each target account; the tools
    // account's CodeBuild, EventBridge, SNS, ECR and Step Functions.
    this.cloudFormation = new CloudFormationEmulator.Accounts(clock, s3, REGION);
    // Stack operations take their modelled time on the virtual clock, so the pipeline's overhead
    // over CloudFormation (overhead_seconds) is measured against something like the service.
    cloudFormation.operationTimes(StackOperationTimes.modelled());
    // CloudFormation fetches a TemplateURL with the caller's credentials: the deploy role.
    cloudFormation.onTemplateFetch(
        new dev.cairn.local.emulators.TemplateFetchListener() {
          @Override
          public void fetched(String account, String bucket, String key) {
            fetched(account, bucket, key, null);
          }

          @Override
          public void fetched(String account, String bucket, String key, String versionId) {
            calls.record(
                new CallLog.Call(
                    chain.environments().stream()
                        .filter(e -> e.account().equals(account))
                        .findFirst()
                        .orElseThrow()
                        .deployRoleArn(),
                    "S3",
                    "GetObject",
                    software.amazon.awssdk.services.s3.model.GetObjectRequest.builder()
                        .bucket(bucket)
                        .key(key)
                        .versionId(versionId)
                        .build()));
          }

          // A template's transform: CloudFormation authorizes the caller's CreateChangeSet on it.
          @Override
          public void transformAuthorized(String account, String transformArn) {
            calls.recordIam(
                new dev.cairn.sandbox.iam.RecordedCall(
                    chain.environments().stream()
                        .filter(e -> e.account().equals(account))
                        .findFirst()
                        .orElseThrow()
                        .deployRoleArn(),
                    "cloudformation:CreateChangeSet",
                    transformArn,
                    java.util.Map.of()));
          }
        });
    // CloudFormation's resource handlers act with the change set's RoleARN, the execution role;
    // without one, with the caller's credentials (the deploy role). Each operation is recorded as
    // the calls its handler makes (ResourceHandlerPermissions), already in IAM's terms: an
    // unknown resource type fails the operation's caller instead of going unchecked.
    cloudFormation.onResourceOperation(
        (account,
            region,
            roleArn,
            stackName,
            logicalId,
            type,
            operation,
            physicalId,
            properties) -> {
          String principal =
              roleArn != null
                  ? roleArn
                  : chain.environments().stream()
                      .filter(e -> e.account().equals(account))
                      .findFirst()
                      .orElseThrow()
                      .deployRoleArn();
          List<ResourceHandlerPermissions.Permission> permissions =
              ResourceHandlerPermissions.of(
                  type, operation, physicalId, properties, account, region, roleBoundaries::of);
          for (ResourceHandlerPermissions.Permission p : permissions) {
            RecordedCall call =
                new RecordedCall(principal, p.action(), p.resourceArn(), p.context());
            var denial = resourceHandlerIam.decide(call);
            if (denial.isPresent()) {
              // Refused calls never happened: they fail the resource instead of being recorded.
              notes.accept("IAM denies CloudFormation's resource handler: " + denial.get());
              throw new dev.cairn.local.emulators.ResourceOperationListener.Refused(
                  "User: "
                      + principal
                      + " is not authorized to perform: "
                      + p.action()
                      + " on resource: "
                      + p.resourceArn()
                      + " ("
                      + denial.get().statement()
                      + ") (Service: Iam, Status Code: 403, Error Code: AccessDenied)");
            }
            calls.recordIam(call);
          }
          // IAM now knows the role's boundary: later calls on it carry it as the key.
          roleBoundaries.record(type, operation, permissions);
          keyPolicies.record(type, operation, physicalId, properties, account, region);
          userBuckets.record(type, operation, physicalId, account);
        });
    for (EnvironmentPolicy e : chain.environments()) {
      SsmEmulator s = new SsmEmulator(e.account(), REGION, clock);
      s.seed("/cdk-bootstrap/hnb659fds/version", "21");
      ssm.put(e.account(), s);
      cloudWatches.put(e.account(), new CloudWatchEmulator(e.account(), REGION, clock));
    }
    this.cloudWatch = cloudWatches.get(PROD_ACCOUNT);
    cloudWatch.setAlarmState(PROD_ALARM, StateValue.OK, "Threshold not crossed");
    this.codeBuild = new CodeBuildEmulator(TOOLS_ACCOUNT, REGION, clock);
    for (EnvironmentPolicy e : chain.environments()) {
      codeBuild.project(e.testsProject());
    }
    this.events = new EventBridgeEmulator(clock);
    // The topics the templates create: a publish to any other ARN fails with NotFound.
    this.sns =
        new SnsEmulator(
            assembly.resources("AWS::SNS::Topic").stream()
                .map(ControlPlaneAssembly.Resource::physicalId)
                .collect(java.util.stream.Collectors.toSet()));
    dev.cairn.sandbox.iam.CdkBootstrapTemplate bootstrap =
        dev.cairn.sandbox.iam.CdkBootstrapTemplate.fromClasspath();
    for (EnvironmentPolicy e : chain.environments()) {
      var repository = bootstrap.containerAssetsRepository(e.account(), e.region(), QUALIFIER);
      registries
          .computeIfAbsent(
              e.account(), account -> new dev.cairn.local.emulators.EcrEmulator(account, clock))
          .createRepository(
              repository.name(),
              software.amazon.awssdk.services.ecr.model.ImageTagMutability.fromValue(
                  repository.imageTagMutability()));
    }
    // Lambda resolves a function's Code.ImageUri in its own account's registry.
    cloudFormation.imageRegistries(registries::get);
    ControlPlaneAssembly.StateMachineSpec machineSpec = assembly.stateMachine();
    this.stateMachineArn = machineSpec.arn();
    this.stateMachineRoleArn = machineSpec.roleArn();
    this.sfn =
        new dev.cairn.local.emulators.SfnEmulator(clock, java.util.Set.of(stateMachineArn))
            .runner(
                (machineArn, arn, name, input) -> {
                  pendingExecutions.add(() -> runStarted(arn, name, input));
                  return dev.cairn.local.emulators.SfnEmulator.Outcome.running();
                });
    // The CDK bootstrap asset bucket of every target environment (cdk-assets publishes there).
    for (EnvironmentPolicy e : chain.environments()) {
      LocalS3.createVersionedBucket(s3, assetBucket(e));
    }

    // Cairn's adapters on the local services, as CI and the scenarios' observers use them.
    // The keys the templates create; the record MAC key is a real HMAC key in the emulator.
    for (ControlPlaneAssembly.Resource k : assembly.resources("AWS::KMS::Key")) {
      String spec = k.properties().path("KeySpec").asText("SYMMETRIC_DEFAULT");
      if (spec.startsWith("HMAC_")) {
        // The build's material: every sandbox process (run, up, run --reuse) MACs alike.
        kms.importMacKey(
            k.physicalId(),
            software.amazon.awssdk.services.kms.model.KeySpec.fromValue(spec),
            java.util.Base64.getMimeDecoder()
                .decode(ControlPlaneAssembly.classpathFile("keys/record-mac.hmac").strip()));
      }
    }
    // The scenarios' observers read as the control plane does (MACs checked), unrecorded.
    dev.cairn.core.ledger.ItemMacs observerMacs =
        new dev.cairn.core.ledger.ItemMacs(
            new dev.cairn.aws.kms.KmsItemAuthenticator(kms, recordMacKeyArn()));
    this.ledger =
        new DynamoDbDeploymentLedger(
            dynamoDb, METADATA_TABLE, AUDIT_TABLE, clock, observerMacs, refused -> {});
    this.auditLog =
        new DynamoDbAuditLog(
            dynamoDb, AUDIT_TABLE, AuditChain.DEFAULT_CHAIN_ID, observerMacs, refused -> {});
    this.store = new S3ArtifactStore(s3, null);
    String ciRole = ciRoleArn(assembly);
    this.ci =
        new Ci(
            ciRole,
            new S3ArtifactStore(s3Server.client(calls.interceptor(ciRole)), null),
            lambdaClient(ciRole));

    // The functions: each handler through its public no-arg constructor (Lambda's INIT), with the
    // synthesized environment and clients that reach the local services as the function's role.
    this.emf = dev.cairn.sandbox.metrics.EmfCapture.install(clock);
    initFunctions();
    this.verifier = functions.get("manifest-verifier").handler();
    this.deployer = functions.get("deployer").handler();

    TaskHandlers handlers = new TaskHandlers();
    for (Map.Entry<String, LambdaFunction> f : functions.entrySet()) {
      String module = f.getKey();
      for (String arn : f.getValue().spec().invokeArns()) {
        // Looked up per call: a redeploy (reconfigure) replaces the function's version.
        handlers.lambda(arn, req -> functions.get(module).invoke(req.payload()));
      }
    }
    handlers
        .service("arn:aws:states:::codebuild:startBuild.sync", req -> runBuild(req.payload()))
        .service("arn:aws:states:::events:putEvents", req -> putEvents(req.payload()))
        .service("arn:aws:states:::sns:publish", req -> publish(req.payload()));
    this.executor =
        AslExecutor.builder()
            .handlers(handlers)
            .random(new Random(7))
            .listener(interruptible(progress))
            .build();
    this.machine = StateMachine.parse(machineSpec.name(), machineSpec.definition());

    for (ControlPlaneAssembly.Resource r : assembly.resources("AWS::Events::Rule")) {
      rules.add(EventRule.fromProperties(r.logicalId(), r.properties()));
    }
    this.schedules = new Schedules(assembly, clock.instant());
  }

  /**
   * The tools account's Lambda as {@code principalArn} calls it: each {@code Invoke} is recorded as
   * that principal (IAM decides {@code lambda:InvokeFunction}); the function runs as its role.
   */
  LambdaClient lambdaClient(String principalArn) {
    return calls.recording(LambdaClient.class, functionsApi(), "Lambda", principalArn);
  }

  /** Lambda's Invoke over the synthesized functions (looked up per call: see reconfigure). */
  private SandboxLambda functionsApi() {
    return new SandboxLambda(
        REGION,
        TOOLS_ACCOUNT,
        arn ->
            functions.values().stream()
                .filter(f -> f.spec().invokeArns().contains(arn))
                .findFirst()
                .orElse(null));
  }

  /** The registrar's live alias, from the assembly: what {@code cairn publish} invokes. */
  String registrarAliasArn() {
    return functions.get("registrar").spec().invokeArns().stream()
        .filter(a -> a.endsWith(":live"))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("the registrar has no live alias"));
  }

  /** The record MAC key every function is given ({@code RECORD_MAC_KEY_ARN}). */
  String recordMacKeyArn() {
    return assembly.function("deployer").environment().get("RECORD_MAC_KEY_ARN");
  }

  /** Every role the assembly creates, by ARN. */
  List<String> roleArns() {
    return assembly.resources("AWS::IAM::Role").stream()
        .map(r -> r.stack().getAtt(r.logicalId(), "Arn"))
        .toList();
  }

  /** The CI role of {@code CairnCiOidc} (the one GitHub Actions assumes to publish). */
  private static String ciRoleArn(ControlPlaneAssembly assembly) {
    for (ControlPlaneAssembly.Resource r : assembly.resources("AWS::IAM::Role")) {
      if ("cdk-ci-artifact-builder".equals(r.properties().path("RoleName").asText())) {
        return r.stack().getAtt(r.logicalId(), "Arn");
      }
    }
    throw new IllegalStateException("the assembly has no CI role cdk-ci-artifact-builder");
  }

  /** (Re-)runs every function's INIT: a redeploy of the control plane publishes new versions. */
  void initFunctions() {
    for (ControlPlaneAssembly.FunctionSpec spec : assembly.functions()) {
      functions.put(
          spec.environment().get("CAIRN_FUNCTION"), LambdaFunction.init(spec, runtime(spec)));
    }
  }

  /** What a function's INIT sees: its environment, its role's clients, the virtual clock. */
  private LambdaRuntime runtime(ControlPlaneAssembly.FunctionSpec spec) {
    // The template's variables plus the two reserved ones Lambda sets that the handlers read.
    Map<String, String> env = new LinkedHashMap<>(spec.environment());
    env.put("AWS_REGION", REGION);
    env.put("AWS_LAMBDA_FUNCTION_NAME", spec.functionName());
    return new LambdaRuntime(env, clients(spec.roleArn()), clock, clock::advance);
  }

  /** The SDK clients of {@code principalArn}: local services and emulators, every call recorded. */
  SandboxClients clients(String principalArn) {
    return new SandboxClients(
        principalArn,
        p -> dynamoServer.client(calls.interceptor(p)),
        p -> s3Server.client(calls.interceptor(p), notifications),
        new SandboxClients.ToolsAccountServices() {
          @Override
          public <C extends software.amazon.awssdk.core.SdkClient> C client(
              Class<C> type, String principal) {
            return calls.recording(
                type, toolsService(type, principal), serviceName(type), principal);
          }
        },
        (type, role) -> targetService(type, role),
        sessions);
  }

  private <C> C toolsService(Class<C> type, String principal) {
    Object c;
    if (type == software.amazon.awssdk.services.sts.StsClient.class) {
      StsEmulator callerSts = new StsEmulator(TOOLS_ACCOUNT, principal, clock);
      for (EnvironmentPolicy e : chain.environments()) {
        callerSts.allowRole(e.deployRoleArn());
        callerSts.allowRole(e.readOnlyRoleArn());
      }
      c = new SessionIssuingSts(callerSts, sessions);
    } else if (type == software.amazon.awssdk.services.ssm.SsmClient.class) {
      c = toolsSsm;
    } else if (type == software.amazon.awssdk.services.sns.SnsClient.class) {
      c = sns;
    } else if (type == software.amazon.awssdk.services.sfn.SfnClient.class) {
      c = sfn;
    } else if (type == software.amazon.awssdk.services.eventbridge.EventBridgeClient.class) {
      c = events;
    } else if (type == software.amazon.awssdk.services.cloudtraildata.CloudTrailDataClient.class) {
      c = cloudTrail;
    } else if (type == software.amazon.awssdk.services.codebuild.CodeBuildClient.class) {
      c = codeBuild;
    } else if (type == LambdaClient.class) {
      c = functionsApi();
    } else if (type == software.amazon.awssdk.services.kms.KmsClient.class) {
      c = kms;
    } else {
      throw new IllegalStateException("the sandbox has no tools-account " + type.getSimpleName());
    }
    return type.cast(c);
  }

  private Object targetService(Class<?> type, String roleArn) {
    String account = roleArn.split(":")[4];
    Object c;
    if (type == software.amazon.awssdk.services.cloudformation.CloudFormationClient.class) {
      c = cloudFormation.forAccount(account);
    } else if (type == software.amazon.awssdk.services.ssm.SsmClient.class) {
      c = ssm.get(account);
    } else if (type == software.amazon.awssdk.services.cloudwatch.CloudWatchClient.class) {
      c = cloudWatches.get(account);
    } else if (type == software.amazon.awssdk.services.ecr.EcrClient.class) {
      c = registries.get(account);
    } else {
      throw new IllegalStateException(
          "the sandbox has no " + type.getSimpleName() + " in " + account);
    }
    if (c == null) {
      throw new IllegalStateException("account " + account + " is not one of the sandbox's");
    }
    return calls.recording(castType(type), c, serviceName(type), roleArn);
  }

  @SuppressWarnings("unchecked")
  private static <C> Class<C> castType(Class<?> type) {
    return (Class<C>) type;
  }

  static String serviceName(Class<?> type) {
    String n = type.getSimpleName();
    return n.endsWith("Client") ? n.substring(0, n.length() - "Client".length()) : n;
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

  // --- the context generator -----------------------------------------------------------------

  /**
   * What {@code cairn context bless} does in the secure context pipeline: write-once dated files
   * signed by the context-blessing key, then the {@code latest} copies and pointer.
   */
  ContextBlesser.Blessed bless(String environment, byte[] context) {
    return new ContextBlesser(contextGenerator.store(), clock)
        .bless(environment, context::clone, contextSigner);
  }

  /** What {@code cairn context revoke} does: the signed, write-once revocation of a bless. */
  ContextBlesser.Revoked revoke(ContextBlessReference bless, String reason) {
    return new ContextBlesser(contextGenerator.store(), clock)
        .revoke(bless.keys(), reason, contextSigner);
  }

  // --- CI ------------------------------------------------------------------------------------

  /** The blessed context a build uses: its bytes and the bless CI records in the manifest. */
  record FetchedContext(byte[] bytes, ContextBlessReference bless) {
    String sha256() {
      return Sha256.hex(bytes);
    }
  }

  /**
   * What the workflow's {@code cairn context fetch --bless-out} reads, as the CI role: the first
   * environment's current bless ({@code latest.bless.json}), then that object at exactly its
   * version. (The fetch also checks hash and signature; the verifier checks them again, which is
   * what these scenarios test.)
   */
  FetchedContext fetchContext() throws IOException {
    S3BlessedContextStore asCi =
        new S3BlessedContextStore(s3Server.client(calls.interceptor(ci.roleArn())), CONTEXTS);
    String env = chain.environments().get(0).name();
    JsonNode pointer = Json.parse(asCi.get(ContextLayout.latestBlessKey(env)).orElseThrow());
    ContextBlessReference bless = ContextBlessReference.fromJson(pointer).orElseThrow();
    return new FetchedContext(asCi.get(bless.objectKey(), bless.versionId()).orElseThrow(), bless);
  }

  /**
   * Publishes as CI does: manifest create + sign, upload (manifest last), then the registrar is
   * invoked (as the CI role) and records the candidate from the manifest it reads itself. {@code
   * mutate} may change the copied cdk.out first (a second commit).
   */
  ArtifactKey publish(
      Path exampleCdkOut, String commitSha, java.util.function.Consumer<Path> mutate)
      throws Exception {
    return publish(exampleCdkOut, commitSha, mutate, fetchContext());
  }

  /**
   * The first half of {@code cairn publish}, built with {@code context}: the signed artifact and
   * its assets uploaded, the ledger not yet asked to record it.
   */
  ArtifactKey uploadUnregistered(
      Path exampleCdkOut,
      String commitSha,
      java.util.function.Consumer<Path> mutate,
      FetchedContext context)
      throws Exception {
    // The copy CI builds in: uploaded below, then removed (ci.store() reads it as it uploads).
    try (Scratch work = Scratch.create("cairn-sandbox-")) {
      return uploadFrom(work.path(), exampleCdkOut, commitSha, mutate, context);
    }
  }

  private ArtifactKey uploadFrom(
      Path work,
      Path exampleCdkOut,
      String commitSha,
      java.util.function.Consumer<Path> mutate,
      FetchedContext context)
      throws Exception {
    Path cdkOut = work.resolve("cdk.out");
    DirectoryCopy.copyTree(exampleCdkOut, cdkOut);
    mutate.accept(cdkOut);
    ObjectNode unsigned =
        ManifestFactory.create(
            new LocalDirectoryArtifactSource(cdkOut),
            new ManifestFactory.BuildFacts(
                    service,
                    commitSha,
                    "refs/heads/main",
                    true,
                    CLI_VERSION,
                    context.sha256(),
                    Map.of("aws-cdk-lib", "2.263.0"),
                    clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(),
                    42)
                .withCommitTime( // The commit CI builds was made a while before the build (what
                    // `cairn manifest
                    // create --repo` reads from git): DeployLatency starts here.
                    clock
                        .instant()
                        .minus(COMMIT_TO_BUILD)
                        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                        .toString()));
    // CI publishes the assets first (cdk-assets publish-all), then signs what it pushed: each
    // image's digest is pinned in the manifest.
    Map<String, String> images = publishAssets(cdkOut);
    if (!images.isEmpty()) {
      unsigned =
          ManifestFactory.withImages(unsigned, new LocalDirectoryArtifactSource(cdkOut), images);
    }
    ObjectNode manifest = ManifestFactory.withContextBless(unsigned, context.bless());
    ObjectNode signed = ManifestFactory.sign(manifest, signer);
    Path manifestFile = work.resolve(ArtifactLayout.MANIFEST_FILE);
    Files.writeString(manifestFile, Json.pretty(signed));
    // cairn publish's order: upload (never overwriting), then ask the registrar.
    ci.store().upload(CANDIDATE, service, commitSha, cdkOut, manifestFile);
    return new ArtifactKey(service, commitSha);
  }

  /**
   * As {@link #uploadUnregistered}, then the registrar records it: all of {@code cairn publish}.
   */
  ArtifactKey publish(
      Path exampleCdkOut,
      String commitSha,
      java.util.function.Consumer<Path> mutate,
      FetchedContext context)
      throws Exception {
    ArtifactKey key = uploadUnregistered(exampleCdkOut, commitSha, mutate, context);
    registerPublished(key);
    return key;
  }

  /** The second half of {@code cairn publish}: CI asks the registrar to record {@code key}. */
  void registerPublished(ArtifactKey key) throws IOException {
    JsonNode answer = register(ci.lambda(), key);
    if (!"registered".equals(answer.path("outcome").asText())) {
      throw new IllegalStateException(
          key + ": the registrar refused: " + answer.path("failure").asText() + " " + answer);
    }
    published.add(key);
  }

  /** What {@code cairn publish} sends the registrar: the key, nothing else. */
  JsonNode register(LambdaClient lambda, ArtifactKey key) throws IOException {
    ObjectNode request = Json.object();
    request.put("service", key.service());
    request.put("commit_sha", key.commitSha());
    var resp =
        lambda.invoke(
            r ->
                r.functionName(registrarAliasArn())
                    .invocationType(InvocationType.REQUEST_RESPONSE)
                    .payload(SdkBytes.fromUtf8String(Json.compact(request))));
    if (resp.functionError() != null) {
      throw new IllegalStateException(
          "the registrar failed (" + resp.functionError() + "): " + resp.payload().asUtf8String());
    }
    return Json.parse(resp.payload().asByteArray());
  }

  /** The CDK bootstrap qualifier of the target environments (CDK's default). */
  static final String QUALIFIER = "hnb659fds";

  /** The CDK bootstrap asset bucket of an environment (default qualifier hnb659fds). */
  static String assetBucket(EnvironmentPolicy e) {
    return "cdk-hnb659fds-assets-" + e.account() + "-" + e.region();
  }

  /**
   * What CI's {@code cdk-assets publish-all} does: every file asset to its destination object,
   * every directory asset zipped (entries sorted, fixed timestamps) to its destination object, and
   * every Docker image asset to its destination repository and tag, pushed as the destination's
   * image-publishing role. No Docker daemon runs here, so an image is its build context as one
   * layer ({@link dev.cairn.sandbox.image.ContextImage},
   * docs/decisions/2026-12-06-image-assets.md).
   *
   * @return each image asset's pinned reference, {@code <registry>/<repository>:<tag>@<digest>} of
   *     its first destination, for the manifest
   */
  Map<String, String> publishAssets(Path cdkOut) throws Exception {
    Map<String, String> images = new java.util.TreeMap<>();
    // Nested assemblies of stages too; their sources are relative to their asset manifest
    // (../asset.<hash> names the root's asset folder).
    try (var files = Files.walk(cdkOut)) {
      for (Path assets :
          files
              .filter(p -> p.getFileName().toString().endsWith(".assets.json"))
              .filter(Files::isRegularFile)
              .toList()) {
        JsonNode root = Json.parse(Files.readAllBytes(assets));
        for (var it = root.path("files").fields(); it.hasNext(); ) {
          var asset = it.next();
          Path source =
              assets.getParent().resolve(asset.getValue().at("/source/path").asText()).normalize();
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
        for (var it = root.path("dockerImages").fields(); it.hasNext(); ) {
          var asset = it.next();
          Path context =
              assets
                  .getParent()
                  .resolve(asset.getValue().at("/source/directory").asText())
                  .normalize();
          var image = dev.cairn.sandbox.image.ContextImage.of(asset.getKey(), context);
          for (JsonNode dest : asset.getValue().path("destinations")) {
            String role = dest.path("assumeRoleArn").asText().replace("${AWS::Partition}", "aws");
            String account = role.split(":")[4];
            String region = dest.path("region").asText(REGION);
            String repository = dest.path("repositoryName").asText();
            String tag = dest.path("imageTag").asText();
            beforeImagePush.beforePush(account, repository, tag);
            var ecr =
                calls.recording(
                    software.amazon.awssdk.services.ecr.EcrClient.class,
                    registries.get(account),
                    "Ecr",
                    role);
            var outcome =
                dev.cairn.sandbox.image.RegistryPush.publish(ecr, account, repository, tag, image);
            if (!outcome.pushed()) {
              // As cdk-assets: a tag that exists is taken as published. Gate 8 compares it with
              // the digest signed below.
              notes.accept(
                  "cdk-assets: "
                      + repository
                      + ":"
                      + tag
                      + " exists ("
                      + outcome.tagDigest()
                      + "), not pushed");
            }
            images.putIfAbsent(
                asset.getKey(),
                account
                    + ".dkr.ecr."
                    + region
                    + ".amazonaws.com/"
                    + repository
                    + ":"
                    + tag
                    + "@"
                    + image.digest());
          }
        }
      }
    }
    return images;
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
   * S3 raises {@code Object Created} for {@code key} in {@code bucket} (EventBridge notifications
   * are on for the candidate and release buckets in the template); the synthesized rules decide
   * what starts, and every started execution runs to its end.
   */
  List<Execution> objectCreated(String bucket, String key) {
    int before = executions.size();
    raiseObjectCreated(bucket, key);
    drain();
    return List.copyOf(executions.subList(before, executions.size()));
  }

  /** Queues S3's {@code Object Created} event for an object that now exists. */
  void raiseObjectCreated(String bucket, String key) {
    var head = s3.headObject(r -> r.bucket(bucket).key(key));
    JsonNode event =
        awsEvents.s3ObjectCreated(
            TOOLS_ACCOUNT,
            REGION,
            clock.instant(),
            new AwsEvents.ObjectCreated(
                bucket,
                key,
                head.contentLength(),
                head.eTag().replace("\"", ""),
                head.versionId(),
                String.format("%016X", eventIds),
                "sandbox-request-" + eventIds,
                TOOLS_ACCOUNT,
                "127.0.0.1",
                "PutObject"));
    pendingEvents.add(event);
  }

  /** Queues an event on the default bus; {@link #drain()} delivers it. */
  void raise(JsonNode event) {
    pendingEvents.add(event);
  }

  /**
   * Delivers queued events to the rules that match them and runs started executions, until nothing
   * is left: what EventBridge and Step Functions do asynchronously, in order.
   */
  void drain() {
    do {
      while (!pendingEvents.isEmpty() || !pendingExecutions.isEmpty()) {
        if (!pendingEvents.isEmpty()) {
          deliver(pendingEvents.remove(0));
        } else {
          pendingExecutions.remove(0).run();
        }
      }
    } while (fireDueSchedules());
  }

  private void deliver(JsonNode event) {
    for (EventRule rule : rules) {
      if (!"default".equals(rule.eventBusName()) || !rule.matches(event)) {
        continue;
      }
      for (dev.cairn.sandbox.events.TargetInvocation t : rule.invocations(event)) {
        if (t.targetArn().equals(stateMachineArn)) {
          // EventBridge names the execution with a random id.
          String name =
              java.util
                  .UUID
                  .nameUUIDFromBytes(
                      (t.ruleLogicalId() + event.path("id").asText())
                          .getBytes(StandardCharsets.UTF_8))
                  .toString();
          triggers.put(name, new Trigger(t.ruleLogicalId(), event));
          sfn.startExecution(r -> r.stateMachineArn(stateMachineArn).name(name).input(t.input()));
        } else {
          LambdaFunction f = functionByArn(t.targetArn());
          String module = f.spec().environment().get("CAIRN_FUNCTION");
          try {
            JsonNode out = f.invoke(Json.parse(t.input()));
            onRuleInvocation.accept(module, out);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          } catch (RuntimeException e) {
            // An asynchronous invocation, as a schedule's: its failure is the function's, not the
            // caller's (Lambda retries it, then drops it).
            onScheduledFailure.accept(module, e);
          }
        }
      }
    }
  }

  private LambdaFunction functionByArn(String arn) {
    for (LambdaFunction f : functions.values()) {
      if (f.spec().invokeArns().contains(arn)) {
        return f;
      }
    }
    throw new IllegalStateException("no function answers " + arn);
  }

  /** Starts an execution as the sweeper or an operator would ({@code StartExecution}). */
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
    int before = executions.size();
    sfn.startExecution(
        r -> r.stateMachineArn(stateMachineArn).name(name).input(Json.compact(input)));
    drain();
    return List.copyOf(executions.subList(before, executions.size()));
  }

  /**
   * Runs one started execution on the production definition, closes it in Step Functions and raises
   * its {@code Execution Status Change} event (the finalizer's rule).
   */
  private void runStarted(String executionArn, String name, String inputJson) {
    JsonNode input;
    try {
      input = Json.parse(inputJson);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Instant started = clock.instant();
    runningExecutionArn = executionArn;
    ExecutionResult result;
    try {
      result =
          executor.execute(
              machine,
              input,
              new AslExecutor.Identity(stateMachineArn, executionArn, stateMachineRoleArn),
              clock);
    } catch (OrchestratorInterrupted i) {
      notes.accept(name + ": " + i.getMessage());
      if (!i.dies) {
        hung.add(new Hung(executionArn, name, inputJson, started));
        return;
      }
      result =
          new ExecutionResult(
              dev.cairn.asl.ExecutionStatus.FAILED,
              null,
              "States.Runtime",
              i.getMessage(),
              List.of());
    }
    Execution e =
        new Execution(
            name,
            result.output() != null && result.output().has("environment")
                ? result.output().path("environment").asText()
                : input.path("environment").asText(),
            input
                .path("commit_sha")
                .asText(
                    input.path("manifest_key").asText().split("/").length > 1
                        ? input.path("manifest_key").asText().split("/")[1]
                        : ""),
            result);
    executions.add(e);
    String status = result.status().name();
    sfn.complete(
        executionArn,
        switch (result.status()) {
          case SUCCEEDED ->
              dev.cairn.local.emulators.SfnEmulator.Outcome.succeeded(
                  Json.compact(result.output()));
          case FAILED ->
              dev.cairn.local.emulators.SfnEmulator.Outcome.failed(result.error(), result.cause());
          default ->
              new dev.cairn.local.emulators.SfnEmulator.Outcome(
                  software.amazon.awssdk.services.sfn.model.ExecutionStatus.fromValue(status),
                  null,
                  result.error(),
                  result.cause());
        });
    if (!status.equals("RUNNING")) {
      raiseStatusChange(
          executionArn,
          name,
          status,
          started,
          inputJson,
          result.output() == null ? null : Json.compact(result.output()),
          result.error(),
          result.cause());
    }
  }

  /** Step Functions' {@code Execution Status Change} for an execution that just ended. */
  private void raiseStatusChange(
      String executionArn,
      String name,
      String status,
      Instant started,
      String input,
      String output,
      String error,
      String cause) {
    pendingEvents.add(
        awsEvents.stepFunctionsExecutionStatusChange(
            TOOLS_ACCOUNT,
            REGION,
            clock.instant(),
            new AwsEvents.ExecutionStatusChange(
                executionArn,
                stateMachineArn,
                name,
                status,
                started,
                clock.instant(),
                input,
                output,
                error,
                cause)));
  }

  /** Thrown from {@link #interrupter}: the orchestrator hangs (stays RUNNING) or dies. */
  static final class OrchestratorInterrupted extends RuntimeException {
    final boolean dies;

    OrchestratorInterrupted(boolean dies, String message) {
      super(message);
      this.dies = dies;
    }
  }

  /** The execution whose history events the listener sees now (executions run one at a time). */
  volatile String runningExecutionArn;

  /** An execution left RUNNING by a hung orchestrator. */
  record Hung(String executionArn, String name, String input, Instant started) {}

  final List<Hung> hung = new ArrayList<>();

  /**
   * Executions that were hung and are no longer RUNNING in Step Functions (StopExecution): listed,
   * and their status change raised, as Step Functions does.
   */
  void settleHung() {
    for (Hung h : List.copyOf(hung)) {
      var d = sfn.describeExecution(x -> x.executionArn(h.executionArn()));
      if (d.statusAsString().equals("RUNNING")) {
        continue;
      }
      hung.remove(h);
      JsonNode in;
      try {
        in = Json.parse(h.input());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      executions.add(
          new Execution(
              h.name(),
              in.path("environment").asText(),
              in.path("commit_sha").asText(),
              new ExecutionResult(
                  dev.cairn.asl.ExecutionStatus.valueOf(d.statusAsString()),
                  null,
                  d.error(),
                  d.cause(),
                  List.of())));
      raiseStatusChange(
          h.executionArn(),
          h.name(),
          d.statusAsString(),
          h.started(),
          h.input(),
          null,
          d.error(),
          d.cause());
    }
    drain();
  }

  /** How often the template's schedule invokes the function {@code module}. */
  Duration schedule(String module) {
    return schedules.periodOf(functions.get(module).spec().invokeArns());
  }

  /** Sees each scheduled Lambda invocation's result (function module, output). */
  volatile java.util.function.BiConsumer<String, JsonNode> onScheduledInvocation = (m, o) -> {};

  /**
   * Sees each scheduled Lambda invocation that failed (function module, error). By default the
   * failure ends the run; a scenario that expects a function to fail says so here, and the schedule
   * keeps firing as EventBridge Scheduler does.
   */
  volatile java.util.function.BiConsumer<String, RuntimeException> onScheduledFailure =
      (m, e) -> {
        throw e;
      };

  /**
   * Fires every schedule due at the current virtual time: a Lambda target is invoked with the
   * schedule's input; a universal target (the metadata export's {@code aws-sdk:dynamodb:...}) is
   * recorded as the call the schedule's role makes — DynamoDB Local has no table export, so the
   * export itself does not run.
   */
  private boolean fireDueSchedules() {
    List<Schedules.Schedule> due = schedules.due(clock.instant());
    for (Schedules.Schedule s : due) {
      if (s.targetArn().startsWith("arn:aws:scheduler:::aws-sdk:")) {
        calls.record(universalTargetCall(s));
        continue;
      }
      LambdaFunction f = functionByArn(s.targetArn());
      String module = f.spec().environment().get("CAIRN_FUNCTION");
      JsonNode out;
      try {
        out = f.invoke(Schedules.input(s));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (RuntimeException e) {
        onScheduledFailure.accept(module, e);
        continue;
      }
      onScheduledInvocation.accept(module, out);
    }
    return !due.isEmpty();
  }

  /** The SDK request a universal target sends, as the schedule's role. */
  private static CallLog.Call universalTargetCall(Schedules.Schedule s) {
    String api = s.targetArn().substring("arn:aws:scheduler:::aws-sdk:".length());
    if (!api.equals("dynamodb:exportTableToPointInTime")) {
      throw new dev.cairn.sandbox.assembly.UnsupportedTemplateException(
          s.logicalId() + ": universal target " + api + " is not modelled");
    }
    JsonNode in = Schedules.input(s);
    return new CallLog.Call(
        s.roleArn(),
        "DynamoDb",
        "ExportTableToPointInTime",
        software.amazon.awssdk.services.dynamodb.model.ExportTableToPointInTimeRequest.builder()
            .tableArn(in.path("TableArn").asText())
            .s3Bucket(in.path("S3Bucket").asText())
            .s3Prefix(in.path("S3Prefix").asText(null))
            .build());
  }

  /**
   * The service CI publishes: the example's, or the one {@code sandbox run --cdk-out --service}
   * names.
   */
  String service = SERVICE;

  /** Where the world says what happened outside an execution's timeline. */
  volatile java.util.function.Consumer<String> notes = line -> {};

  /** The Cairn checkout the run was started from (where the IAM evaluator is installed). */
  java.nio.file.Path repoRoot = java.nio.file.Path.of("");

  /** How the scenario's attack ended ({@link Attack}); null when the scenario is not an attack. */
  com.fasterxml.jackson.databind.node.ObjectNode attack;

  /** Sees each rule-delivered Lambda invocation's result (function module, output). */
  volatile java.util.function.BiConsumer<String, JsonNode> onRuleInvocation = (m, o) -> {};

  /**
   * Redeploys the control plane with a changed configuration: the control-plane parameter gets the
   * new value, and every function is initialised again (a new published version).
   */
  void reconfigure(java.util.function.Consumer<ObjectNode> change) throws IOException {
    String name =
        functions.get("deployer").spec().environment().get("CONTROL_PLANE_CONFIG_PARAMETER");
    ObjectNode config = (ObjectNode) Json.parse(toolsSsm.value(name).orElseThrow());
    change.accept(config);
    toolsSsm.seed(name, Json.compact(config));
    initFunctions();
  }

  /**
   * A redeploy that changes only the control-plane config parameter (e.g. a revoked key):
   * CloudFormation overwrites the parameter (SSM raises Parameter Store Change) and publishes no
   * new function version, so every function keeps its INIT and must re-read the config itself.
   */
  void updateConfigParameter(java.util.function.Consumer<ObjectNode> change) throws IOException {
    String name =
        functions.get("deployer").spec().environment().get("CONTROL_PLANE_CONFIG_PARAMETER");
    ObjectNode config = (ObjectNode) Json.parse(toolsSsm.value(name).orElseThrow());
    change.accept(config);
    String value = Json.compact(config);
    toolsSsm.putParameter(
        r ->
            r.name(name)
                .value(value)
                .overwrite(true)
                .tier(
                    value.length() > 4000
                        ? software.amazon.awssdk.services.ssm.model.ParameterTier.ADVANCED
                        : software.amazon.awssdk.services.ssm.model.ParameterTier.STANDARD));
  }

  /** An administrator sets the break-glass flag ({@code ssm put-parameter --overwrite}). */
  void putBreakGlassFlag(String value) {
    String name = functions.get("override").spec().environment().get("BREAK_GLASS_PARAMETER");
    toolsSsm.putParameter(r -> r.name(name).value(value).overwrite(true));
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

  @Override
  public void close() {
    dev.cairn.sandbox.metrics.EmfCapture.uninstall();
    s3Server.close();
    dynamoServer.close();
  }
}
