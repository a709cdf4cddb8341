package dev.cairn.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.asl.ExecutionListener;
import dev.cairn.asl.HistoryEvent;
import dev.cairn.asl.VirtualClock;
import dev.cairn.local.emulators.KmsEmulator;
import dev.cairn.local.servers.LocalDynamoDb;
import dev.cairn.local.servers.LocalS3;
import dev.cairn.sandbox.assembly.ControlPlaneAssembly;
import dev.cairn.sandbox.local.http.LocalAwsEndpoint;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The sandbox world as {@code cairn sandbox up} runs it: the same wiring as {@code sandbox run}
 * (synthesized rules, functions, roles, state machine, schedules, emulated accounts), on the
 * caller's DynamoDB Local and S3Proxy, with its clock starting at a given instant. Other threads
 * (the local AWS endpoints) reach it only through this class, under {@link #lock()}: the world is
 * single-threaded, as each function's sandbox is.
 */
public final class LiveWorld implements AutoCloseable {

  private final SandboxWorld world;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile InlineIam inlineIam;
  private final Map<String, List<HistoryEvent>> histories = new LinkedHashMap<>();

  private LiveWorld(SandboxWorld world) {
    this.world = world;
  }

  /**
   * Builds the world from the classpath assembly on {@code dynamo} and {@code s3} (it stops them
   * when closed). {@code pacer} sees every history event after the timeline printer; it may block
   * (pacing virtual time to real time) and should then release {@link #lock()} meanwhile.
   */
  public static LiveWorld start(
      LocalDynamoDb dynamo,
      LocalS3 s3,
      Instant start,
      PrintStream timeline,
      java.util.function.Consumer<HistoryEvent> pacer,
      Path repoRoot)
      throws IOException {
    SandboxRun.ProgressPrinter printer = new SandboxRun.ProgressPrinter(timeline);
    LiveWorld[] self = new LiveWorld[1];
    ExecutionListener listener =
        new ExecutionListener() {
          @Override
          public void onEvent(HistoryEvent event) {
            self[0].record(event);
            printer.onEvent(event);
            // No summary ends a live run: a failed task says why as it happens.
            if (event.type().equals("TaskFailed") || event.type().equals("LambdaFunctionFailed")) {
              printer.note(
                  "failed: "
                      + event.details().path("error").asText()
                      + " "
                      + event.details().path("cause").asText());
            }
            pacer.accept(event);
          }

          @Override
          public void onStateCompleted(
              String stateName, String stateType, java.time.Duration duration) {
            printer.onStateCompleted(stateName, stateType, duration);
          }
        };
    SandboxWorld w =
        new SandboxWorld(ControlPlaneAssembly.fromClasspath(), listener, dynamo, s3, start);
    printer.world = w;
    w.notes = printer::note;
    w.repoRoot = repoRoot;
    // A live world keeps running when a scheduled function fails, as EventBridge Scheduler does.
    w.onScheduledFailure = (module, e) -> printer.note(module + " failed: " + e.getMessage());
    // CI signs with KMS (`cairn manifest sign --kms-key-id alias/...`): the tools account's KMS
    // holds the key pair whose public half the installation's trust policy pins.
    LocalAwsServices.importCiSigner(w);
    self[0] = new LiveWorld(w);
    return self[0];
  }

  private void record(HistoryEvent event) {
    histories.computeIfAbsent(world.runningExecutionArn, k -> new ArrayList<>()).add(event);
  }

  /** Held by whoever touches the world; a pacer releases it while it sleeps. */
  public ReentrantLock lock() {
    return lock;
  }

  /** The world's clock (virtual; the live runtime paces it to real time). */
  public VirtualClock clock() {
    return world.clock;
  }

  /** The candidate bucket CI uploads to (the template's physical name). */
  public String candidateBucket() {
    return SandboxWorld.CANDIDATE;
  }

  /** The buckets the templates create (physical names). */
  public List<String> buckets() {
    return world.assembly.resources("AWS::S3::Bucket").stream()
        .map(ControlPlaneAssembly.Resource::physicalId)
        .toList();
  }

  /** Whether the template turns EventBridge notifications on for {@code bucket}. */
  public boolean notifiesEventBridge(String bucket) {
    for (ControlPlaneAssembly.Resource b : world.assembly.resources("AWS::S3::Bucket")) {
      if (b.physicalId().equals(bucket)
          && b.properties()
              .at("/NotificationConfiguration/EventBridgeConfiguration/EventBridgeEnabled")
              .asBoolean(false)) {
        return true;
      }
    }
    return false;
  }

  /** S3 raises {@code Object Created} for a new object; the rules decide what starts. */
  public void objectCreated(String bucket, String key) {
    world.raiseObjectCreated(bucket, key);
  }

  /** Delivers queued events, runs started executions and fires the schedules now due. */
  public void drain() {
    world.drain();
  }

  /**
   * Serves this world on {@code endpoint}: STS, S3 (with the target accounts' bootstrap buckets),
   * KMS, Lambda and the Step Functions reads, each call recorded as its caller's and every call
   * that reaches the world under {@link #lock()}. New objects raise their events through the
   * candidate bucket's watcher, as S3 delivers them: after the write, not inside it.
   */
  public LocalAwsEndpoint serve(LocalAwsEndpoint endpoint) {
    LocalAwsServices.serve(world, endpoint, lock, this::history, (bucket, key) -> {});
    return endpoint;
  }

  /** The tools account's Lambda as {@code principalArn} calls it (recorded; IAM decides). */
  public LambdaClient lambda(String principalArn) {
    return world.lambdaClient(principalArn);
  }

  /** The tools account's KMS (the keys the templates create, real cryptography). */
  public KmsEmulator kms() {
    return world.kms;
  }

  /** The tools account's Step Functions (executions started by the rules, the sweeper, ...). */
  public SfnClient stepFunctions() {
    return world.sfn;
  }

  /** The state machine's ARN, from the assembly. */
  public String stateMachineArn() {
    return world.stateMachineArn;
  }

  /** The history events of an execution so far (empty when it has not run yet). */
  public List<HistoryEvent> history(String executionArn) {
    return List.copyOf(histories.getOrDefault(executionArn, List.of()));
  }

  /**
   * The physical name of the function {@code module} ({@code override}, {@code registrar}, ...).
   */
  public String functionName(String module) {
    return world.functions.get(module).spec().functionName();
  }

  /**
   * The principal a user's shell acts as: the tools account's administrator, a role no template
   * creates ({@code cairn-sandbox-operator}).
   */
  public String operatorRoleArn() {
    return "arn:aws:iam::" + SandboxWorld.TOOLS_ACCOUNT + ":role/cairn-sandbox-operator";
  }

  /** The CI role {@code cairn publish} acts as ({@code cdk-ci-artifact-builder}). */
  public String ciRoleArn() {
    return world.ci.roleArn();
  }

  /** Every role the templates create, by ARN: the roles a caller may assume locally. */
  public List<String> roleArns() {
    List<String> out = new ArrayList<>();
    for (ControlPlaneAssembly.Resource r : world.assembly.resources("AWS::IAM::Role")) {
      out.add(r.stack().getAtt(r.logicalId(), "Arn"));
    }
    return out;
  }

  /** The bucket the blessed contexts are in (the template's physical name). */
  public String contextsBucket() {
    return SandboxWorld.CONTEXTS;
  }

  /** The first environment of the promotion chain: where CI's artifact goes first. */
  public String firstEnvironment() {
    return world.chain.environments().get(0).name();
  }

  /** The target accounts' CDK bootstrap buckets, where {@code cdk-assets} publishes. */
  public List<String> assetBuckets() {
    return world.chain.environments().stream().map(SandboxWorld::assetBucket).toList();
  }

  /** The keys of the objects in {@code bucket}, read as an observer (unrecorded). */
  public List<String> objectKeys(String bucket) {
    return world.s3.listObjectsV2(l -> l.bucket(bucket)).contents().stream()
        .map(software.amazon.awssdk.services.s3.model.S3Object::key)
        .toList();
  }

  /** The bytes of an object, read as an observer (unrecorded). */
  public byte[] object(String bucket, String key) {
    return world.s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
  }

  /** The tools account's id. */
  public String account() {
    return SandboxWorld.TOOLS_ACCOUNT;
  }

  /** The installation's trust policy (from the synthesized control-plane parameter), as JSON. */
  public ObjectNode trustPolicy() {
    return world.trustPolicy.toJson();
  }

  /** CI's signing key (PEM): the private half of the key the trust policy pins. */
  public String ciSignerPem() {
    return ControlPlaneAssembly.classpathFile("keys/ci-signer.pem");
  }

  /** The signing identity the trust policy pins for CI's key. */
  public String ciSigningIdentity() {
    return SandboxWorld.SIGNER;
  }

  /**
   * The blessed context CI builds with, as {@code cairn context fetch} reads it: the current bless
   * of the first environment, at exactly its version.
   */
  private SandboxWorld.FetchedContext fetched() {
    try {
      return world.fetchContext();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The blessed context's bytes (what CI fetches before `cdk synth`). */
  public byte[] blessedContext() {
    return fetched().bytes();
  }

  /** The SHA-256 of the blessed context. */
  public String contextHash() {
    return fetched().sha256();
  }

  /** The bless the context came from, as {@code cairn context fetch --bless-out} writes it. */
  public String contextBlessJson() {
    return dev.cairn.core.json.Json.pretty(fetched().bless().toJson());
  }

  /** The bless the context came from. */
  public dev.cairn.core.context.ContextBlessReference contextBless() {
    return fetched().bless();
  }

  /** The CDK CLI version the trust policy allows. */
  public String cdkCliVersion() {
    return SandboxWorld.CLI_VERSION;
  }

  /**
   * From now on, IAM decides every call as it is made: the callers of the local endpoints', and the
   * control plane's own (its functions, state machine, schedules and rules). A denied call is not
   * made; its caller gets AWS's error and {@code report} the denial. False when no evaluator could
   * be found or installed (node and npm on PATH): then nothing is decided inline.
   */
  public boolean decideInline(java.util.function.Consumer<String> report) {
    java.util.Optional<dev.cairn.sandbox.iam.IamEvaluator> evaluator =
        dev.cairn.sandbox.iam.IamCheckInstall.locate(
            world.repoRoot,
            world.clock,
            dev.cairn.sandbox.iam.IamEvaluator.DEFAULT_TIMEOUT,
            world.notes);
    if (evaluator.isEmpty()) {
      return false;
    }
    // The operator is the tools account's administrator: what it may do is the account's
    // decision, not Cairn's templates'; bucket, key and function policies still apply.
    com.fasterxml.jackson.databind.node.ObjectNode admin = dev.cairn.core.json.Json.object();
    admin.put("Version", "2012-10-17");
    com.fasterxml.jackson.databind.node.ObjectNode all = admin.putArray("Statement").addObject();
    all.put("Sid", "SandboxOperatorAdministersTheToolsAccount");
    all.put("Effect", "Allow");
    all.put("Action", "*");
    all.put("Resource", "*");
    InlineIam iam =
        new InlineIam(
            new dev.cairn.sandbox.iam.IamPolicies(world.assembly)
                .withPrincipal(operatorRoleArn(), "AdministratorAccess", admin),
            evaluator.get(),
            d -> report.accept(d.toString()));
    inlineIam = iam;
    world.calls.gate(iam);
    return true;
  }

  /** The calls IAM refused as they were made (empty when nothing is decided inline). */
  public List<String> denials() {
    InlineIam iam = inlineIam;
    return iam == null ? List.of() : iam.denials().stream().map(Object::toString).toList();
  }

  /** How many calls IAM decided inline, at what mean cost. */
  public String inlineIamCost() {
    InlineIam iam = inlineIam;
    return iam == null ? "no inline IAM" : iam.cost();
  }

  /** The IAM decision on every call made so far, with the negative controls (RunChecks). */
  public JsonNode iamCheck(Path repoRoot) {
    return RunChecks.iam(world, repoRoot);
  }

  @Override
  public void close() {
    InlineIam iam = inlineIam;
    if (iam != null) {
      iam.close();
    }
    world.close();
  }
}
