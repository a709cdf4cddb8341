package dev.cairn.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.asl.ExecutionListener;
import dev.cairn.core.integrity.ArtifactLayout;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.ArtifactKey;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.pipeline.EnvironmentPolicy;
import dev.cairn.sandbox.local.http.LocalAwsEndpoint;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The AWS side of a CI run, for programs that run as other processes (the workflow's {@code
 * cdk-assets} and {@code cairn} commands): the sandbox's installation, built from Cairn's
 * synthesized assembly, behind one loopback endpoint that serves STS, S3 (the tools account's
 * buckets and the target accounts' CDK bootstrap buckets), KMS {@code Sign} and Lambda {@code
 * Invoke}. Credentials are issued per role; every call is recorded as that role's and decided by
 * the sandbox's IAM evaluation against the synthesized policies. An upload to a bucket whose
 * EventBridge notifications are on is remembered, and {@link #deliverObjectCreated()} raises its
 * {@code Object Created} event, so the pipeline starts from what CI actually uploaded.
 */
public final class LocalCi implements AutoCloseable {

  /** How one environment ended for an artifact, from the ledger. */
  public record EnvironmentOutcome(String environment, String status) {}

  private final SandboxWorld world;
  private final LocalAwsEndpoint endpoint;
  private final Path repoRoot;
  private final List<String[]> created = new ArrayList<>();

  private LocalCi(SandboxWorld world, LocalAwsEndpoint endpoint, Path repoRoot) {
    this.world = world;
    this.endpoint = endpoint;
    this.repoRoot = repoRoot;
  }

  /**
   * Starts the installation and its endpoint. {@code repoRoot} is the Cairn checkout where the IAM
   * evaluator is installed ({@code sandbox/iam-check}).
   */
  public static LocalCi start(Path repoRoot) throws IOException {
    SandboxWorld world = new SandboxWorld(ExecutionListener.none());
    world.repoRoot = repoRoot;
    // CI's commands run on the wall clock (build time, commit time, session expiry): the
    // installation starts there too, with its schedules counted from now.
    world.clock.set(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    world.schedules = new Schedules(world.assembly, world.clock.instant());
    LocalAwsServices.importCiSigner(world);
    LocalAwsEndpoint endpoint = LocalAwsEndpoint.start(0, Clock.systemUTC());
    LocalCi ci = new LocalCi(world, endpoint, repoRoot);
    // CI's commands run while the world is idle; the lock orders the endpoint's own threads.
    LocalAwsServices.serve(
        world, endpoint, new ReentrantLock(), executionArn -> List.of(), ci::objectCreated);
    return ci;
  }

  private void objectCreated(String bucket, String key) {
    synchronized (created) {
      created.add(new String[] {bucket, key});
    }
  }

  /** The endpoint every {@code AWS_ENDPOINT_URL_*} points at. */
  public URI endpoint() {
    return endpoint.uri();
  }

  /**
   * The environment a process needs to act as {@code roleArn}: a fresh session's credentials, the
   * region, and the endpoint for every service (what {@code aws-actions/configure-aws-credentials}
   * leaves behind, plus {@code AWS_ENDPOINT_URL}).
   */
  public Map<String, String> environmentAs(String roleArn, String sessionName, Duration duration) {
    LocalAwsEndpoint.Session s = endpoint.issue(roleArn, sessionName, duration);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("AWS_ACCESS_KEY_ID", s.accessKeyId());
    env.put("AWS_SECRET_ACCESS_KEY", s.secretAccessKey());
    env.put("AWS_SESSION_TOKEN", s.sessionToken());
    env.put("AWS_REGION", SandboxWorld.REGION);
    env.put("AWS_DEFAULT_REGION", SandboxWorld.REGION);
    env.put("AWS_ENDPOINT_URL", endpoint.uri().toString());
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    return env;
  }

  /** The CI role ({@code cdk-ci-artifact-builder}) of the synthesized {@code CairnCiOidc}. */
  public String ciRoleArn() {
    return world.ci.roleArn();
  }

  /** The context generator's role ({@code cdk-context-generator}), which blesses contexts. */
  public String contextGeneratorRoleArn() {
    return world.roleArns().stream()
        .filter(r -> r.endsWith(":role/cdk-context-generator"))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("the assembly has no cdk-context-generator"));
  }

  public String toolsAccount() {
    return SandboxWorld.TOOLS_ACCOUNT;
  }

  public String region() {
    return SandboxWorld.REGION;
  }

  public String contextsBucket() {
    return SandboxWorld.CONTEXTS;
  }

  public String candidateBucket() {
    return SandboxWorld.CANDIDATE;
  }

  /** The environments in chain order; the first is where CI's artifact goes. */
  public List<String> environments() {
    return world.chain.environments().stream().map(EnvironmentPolicy::name).toList();
  }

  /** The target account of {@code environment}. */
  public String account(String environment) {
    return world.chain.environments().stream()
        .filter(e -> e.name().equals(environment))
        .findFirst()
        .orElseThrow()
        .account();
  }

  /**
   * The context the installation's environments are blessed with (one file covering every target
   * account): what the context generator blesses for each environment before CI runs.
   */
  public byte[] contextToBless() throws IOException {
    return world
        .s3
        .getObjectAsBytes(
            r ->
                r.bucket(SandboxWorld.CONTEXTS)
                    .key(
                        dev.cairn.core.context.ContextLayout.latestContextKey(
                            environments().get(0))))
        .asByteArray();
  }

  /** The installation's trust policy, as {@code cairn trust init} writes it. */
  public String trustPolicyJson() {
    return Json.pretty(world.trustPolicy.toJson()) + "\n";
  }

  /** The keys of the objects in {@code bucket}. */
  public List<String> objectKeys(String bucket) {
    ListObjectsV2Response r = world.s3.listObjectsV2(l -> l.bucket(bucket));
    return r.contents().stream().map(S3Object::key).toList();
  }

  /** The bytes of an object (read unrecorded, as an observer). */
  public byte[] object(String bucket, String key) {
    return world.s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
  }

  /**
   * Raises {@code Object Created} for every upload to a bucket with EventBridge notifications on
   * since the last call, then lets EventBridge and Step Functions run everything that starts, to
   * the end: stage, the promotion, prod.
   *
   * @return the manifest keys whose events were raised
   */
  public List<String> deliverObjectCreated() {
    List<String[]> due;
    synchronized (created) {
      due = List.copyOf(created);
      created.clear();
    }
    List<String> raised = new ArrayList<>();
    for (String[] o : due) {
      if (world.notifications.enabled(o[0])) {
        world.raiseObjectCreated(o[0], o[1]);
        raised.add(o[0] + "/" + o[1]);
      }
    }
    world.drain();
    return raised;
  }

  /** Each environment's status for the artifact, from the ledger (MACs checked). */
  public List<EnvironmentOutcome> outcome(String service, String commitSha) {
    ArtifactRecord record =
        world
            .ledger
            .find(new ArtifactKey(service, commitSha))
            .orElseThrow(
                () ->
                    new IllegalStateException(service + "@" + commitSha + " is not in the ledger"));
    List<EnvironmentOutcome> out = new ArrayList<>();
    for (String env : environments()) {
      var state = record.environment(env);
      out.add(
          new EnvironmentOutcome(
              env, state == null || state.status() == null ? "none" : state.status().value()));
    }
    return out;
  }

  /** The executions that ran, as {@code environment: STATUS}, in order. */
  public List<String> executions() {
    return world.executions.stream()
        .map(e -> e.environment() + ": " + e.result().status())
        .toList();
  }

  /**
   * The IAM evaluation of every call recorded so far (CI's, the context generator's, the control
   * plane's), with the written negative controls: {@code calls_checked}, {@code denied} and {@code
   * negative_controls.allowed_by_mistake}, or {@code evaluator: unavailable}.
   */
  public JsonNode iam() {
    return RunChecks.iam(world, repoRoot);
  }

  /** The S3 key of a published artifact's manifest. */
  public static String manifestKey(String service, String commitSha) {
    return ArtifactLayout.prefix(service, commitSha) + ArtifactLayout.MANIFEST_FILE;
  }

  @Override
  public void close() {
    endpoint.close();
    world.close();
  }
}
