package dev.cairn.aws.runtime;

import dev.cairn.aws.client.ClientSource;
import dev.cairn.aws.ledger.DynamoDbDeploymentLedger;
import dev.cairn.aws.metrics.MetricsContract;
import dev.cairn.aws.metrics.PowertoolsPipelineMetrics;
import dev.cairn.aws.s3.S3ArtifactStore;
import dev.cairn.aws.s3.S3BlessedContextStore;
import dev.cairn.core.ledger.port.DeploymentLedger;
import dev.cairn.core.pipeline.ControlPlaneConfig;
import dev.cairn.core.pipeline.PipelineServices;
import dev.cairn.core.pipeline.port.AlarmMonitor;
import dev.cairn.core.pipeline.port.StackDeployers;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

/**
 * The production composition of the control plane's adapters, from the Lambda environment the CDK
 * stack sets ({@code METADATA_TABLE_NAME}, {@code CANDIDATE_BUCKET}, ..., {@code
 * CONTROL_PLANE_CONFIG_PARAMETER}). Built once per Lambda, in INIT.
 *
 * <p>The control-plane config holds the trust roots (CI's signer keys, the operators' keys, the
 * chain), so it is not frozen at INIT: SnapStart would keep the INIT's copy in every restored
 * sandbox, and a revoked key would stay trusted until the next published version. {@link #config()}
 * reads the parameter again once its last read is older than {@code TRUST_CONFIG_TTL_SECONDS}
 * (default {@link #DEFAULT_CONFIG_TTL}); the first invocation after a restore always re-reads: the
 * read is expired in {@code afterRestore} ({@link Priming#onRestore}), whatever the clock says. A
 * read that fails fails the invocation: a stale trust root is never used past its TTL. Handlers
 * build their use case through {@link #current}, rebuilt when the config changed. INIT's read runs
 * on a thread of its own while the constructor builds the clients, and the constructor waits for it
 * (docs/decisions/2026-12-07-concurrent-init.md).
 *
 * <p>It builds the adapters every control-plane function shares (DynamoDB, S3, SSM, KMS, SNS) and
 * composes each use case from the ports the handler's module supplies for the rest (Step Functions,
 * EventBridge, CloudFormation, ...): each of those lives in its own adapter module with its SDK
 * client, so a Lambda's jar holds the clients it calls and no other.
 */
public final class ControlPlaneWiring {

  /** How long one read of the trust configuration is used (docs/runbooks/break-glass.md). */
  public static final java.time.Duration DEFAULT_CONFIG_TTL = java.time.Duration.ofSeconds(60);

  /**
   * Read once per INIT: the dimension contract the CDK alarms watch (schema/metrics-contract.json).
   */
  private static final MetricsContract METRICS_CONTRACT = MetricsContract.load();

  private final Map<String, String> env;
  private final ClientSource clients;
  private final Clock clock;
  private final PipelineServices.Sleeper sleeper;
  private final DynamoDbClient dynamoDb;
  private final S3Client s3;
  private final SsmClient ssm;
  private final String configParameter;
  private final java.time.Duration configTtl;
  private ControlPlaneConfig config;
  private String configJson;
  private java.time.Instant configReadAt;
  private final dev.cairn.core.ledger.ItemMacs itemMacs;
  private final dev.cairn.core.ledger.port.IntegrityAlerts integrityAlerts;

  /** Held here: the CRaC context keeps its resources weakly, and this one lives with the wiring. */
  private final Priming restore;

  /** Priming's own wiring ({@link Priming#invocation}): no restore hook, metrics discarded. */
  private final boolean priming;

  public ControlPlaneWiring(LambdaRuntime runtime) {
    this(runtime, false);
  }

  /**
   * {@code priming}: the wiring of priming's invocation, on clients that reach only the loopback.
   * It registers no restore hook (it is dropped once priming ends, and a resource is not registered
   * while the checkpoint is in progress) and its metrics are serialized and dropped.
   */
  ControlPlaneWiring(LambdaRuntime runtime, boolean priming) {
    this.priming = priming;
    this.env = runtime.environment();
    this.clients = runtime.clients();
    this.clock = runtime.clock();
    this.sleeper = runtime.sleeper();
    this.configParameter = required("CONTROL_PLANE_CONFIG_PARAMETER");
    String ttl = env.get("TRUST_CONFIG_TTL_SECONDS");
    this.configTtl =
        ttl == null || ttl.isBlank()
            ? DEFAULT_CONFIG_TTL
            : java.time.Duration.ofSeconds(Long.parseLong(ttl.trim()));
    String macKey = required("RECORD_MAC_KEY_ARN");
    String alertTopic = required("ALERT_TOPIC_ARN");
    this.ssm = clients.client(SsmClient.class);
    // The config's read and parse (SSM's first call, Jackson, the keys through BouncyCastle) on
    // one thread while this one builds the other clients: INIT waits for the longer of the two,
    // not their sum. The thread ends before the constructor returns.
    java.util.concurrent.ExecutorService reader =
        java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "cairn-config-read");
              t.setDaemon(true);
              return t;
            });
    try {
      java.util.concurrent.Future<ControlPlaneConfig> read = reader.submit(this::config);
      this.dynamoDb = clients.dynamoDb();
      this.s3 = clients.s3();
      // Records and audit items are MAC'd with the control plane's HMAC key (RECORD_MAC_KEY_ARN);
      // a refused item is audited and alerted (ALERT_TOPIC_ARN) as this function.
      this.itemMacs =
          new dev.cairn.core.ledger.ItemMacs(
              new dev.cairn.aws.kms.KmsItemAuthenticator(
                  clients.client(software.amazon.awssdk.services.kms.KmsClient.class), macKey));
      this.integrityAlerts =
          new dev.cairn.aws.integrity.SnsAuditedIntegrityAlerts(
              clients.client(software.amazon.awssdk.services.sns.SnsClient.class),
              alertTopic,
              this::auditLog,
              actor(),
              clock);
      awaitConfig(read);
    } finally {
      reader.shutdownNow();
    }
    this.restore = priming ? null : Priming.onRestore("trust configuration", this::expireConfig);
  }

  /** The INIT's config read: its own exception if it failed, as if it had run on this thread. */
  private static void awaitConfig(java.util.concurrent.Future<ControlPlaneConfig> read) {
    try {
      read.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the control-plane config", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      } else if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** This function as the actor of the audit entries it writes on its own account. */
  private dev.cairn.core.audit.Actor actor() {
    return new dev.cairn.core.audit.Actor(
        dev.cairn.core.lifecycle.ActorRole.PIPELINE,
        env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "cairn-control-plane"));
  }

  /** The item MAC codec on the control plane's HMAC key. */
  public dev.cairn.core.ledger.ItemMacs itemMacs() {
    return itemMacs;
  }

  /** Where a refused (unauthenticated) item is reported: audit entry and alert. */
  public dev.cairn.core.ledger.port.IntegrityAlerts integrityAlerts() {
    return integrityAlerts;
  }

  /**
   * From the runtime of the INIT in progress (the Lambda's public no-arg constructors): the process
   * environment in Lambda, the synthesized function's environment in the sandbox.
   */
  public static ControlPlaneWiring fromSystem() {
    return new ControlPlaneWiring(LambdaRuntime.current());
  }

  public Clock clock() {
    return clock;
  }

  /** Where this function's SDK clients come from: the adapter modules build theirs here. */
  public ClientSource clients() {
    return clients;
  }

  /** The function's environment variables. */
  public Map<String, String> environment() {
    return env;
  }

  public String required(String name) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException("environment variable " + name + " is not set");
    }
    return v;
  }

  /** The control-plane config, read again when the last read is older than the TTL. */
  public synchronized ControlPlaneConfig config() {
    java.time.Instant now = clock.instant();
    if (config != null && configReadAt != null && now.isBefore(configReadAt.plus(configTtl))) {
      return config;
    }
    String json =
        TransientErrors.translate(() -> ssm.getParameter(r -> r.name(configParameter)))
            .parameter()
            .value();
    if (!json.equals(configJson)) {
      config = ControlPlaneConfig.parse(json, env.getOrDefault("AWS_PARTITION", "aws"));
      configJson = json;
    }
    configReadAt = now;
    return config;
  }

  /**
   * Makes the next {@link #config()} read the parameter again. After a SnapStart restore the clock
   * may sit within the TTL of the INIT's read, yet the parameter may have changed since the
   * snapshot was taken (a key revoked between publishing the version and restoring it).
   */
  public synchronized void expireConfig() {
    configReadAt = null;
  }

  /** The resource that expires the config read after a restore (tests call it directly). */
  public Priming restoreHook() {
    return restore;
  }

  /**
   * A use case built by {@code build} on the current config: rebuilt only when {@link #config()}
   * returns a config that changed, so a revoked key leaves every port it was in.
   */
  public <T> java.util.function.Supplier<T> current(
      java.util.function.Function<ControlPlaneWiring, T> build) {
    return new java.util.function.Supplier<>() {
      private ControlPlaneConfig builtOn;
      private T value;

      @Override
      public synchronized T get() {
        ControlPlaneConfig now = config();
        if (now != builtOn) {
          value = build.apply(ControlPlaneWiring.this);
          builtOn = now;
        }
        return value;
      }
    };
  }

  public DeploymentLedger ledger() {
    return new DynamoDbDeploymentLedger(
        dynamoDb,
        required("METADATA_TABLE_NAME"),
        required("AUDIT_TABLE_NAME"),
        clock,
        itemMacs,
        integrityAlerts);
  }

  public S3ArtifactStore artifactStore() {
    return new S3ArtifactStore(s3, env.get("EXPECTED_BUCKET_OWNER"));
  }

  public S3BlessedContextStore blessedContexts() {
    return new S3BlessedContextStore(s3, required("CONTEXTS_BUCKET"));
  }

  public PowertoolsPipelineMetrics metrics() {
    if (priming) {
      return PowertoolsPipelineMetrics.discarding(METRICS_CONTRACT);
    }
    return new PowertoolsPipelineMetrics(MetricsFactory.getMetricsInstance(), METRICS_CONTRACT);
  }

  /** The deployer's services: the target environments' stacks and alarms from its own modules. */
  public PipelineServices pipelineServices(StackDeployers deployers, AlarmMonitor alarms) {
    return new PipelineServices(
        ledger(),
        artifactStore(),
        deployers,
        alarms,
        metrics(),
        config().chain(),
        config().trustPolicy(),
        required("CANDIDATE_BUCKET"),
        required("RELEASE_BUCKET"),
        ControlPlaneConfig.bootstrapVersionParameter(config().bootstrapQualifier()),
        sleeper,
        clock);
  }

  // --- sweeper and finalizer ---------------------------------------------------------------------

  /** The sweeper: sweep index, S3 cross-check, Step Functions, events {@code cairn.sweeper}. */
  public dev.cairn.core.sweep.SweepUseCase sweepUseCase(
      dev.cairn.core.sweep.port.ExecutionControl executions,
      dev.cairn.core.sweep.port.PipelineEvents events) {
    String days = env.get("NEVER_PROMOTED_DAYS");
    dev.cairn.core.sweep.SweepConfig defaults =
        dev.cairn.core.sweep.SweepConfig.defaults(
            required("CANDIDATE_BUCKET"), required("RELEASE_BUCKET"));
    dev.cairn.core.sweep.SweepConfig sweep =
        days == null || days.isBlank()
            ? defaults
            : new dev.cairn.core.sweep.SweepConfig(
                defaults.candidateBucket(),
                defaults.releaseBucket(),
                java.time.Duration.ofDays(Long.parseLong(days.trim())),
                defaults.ttl(),
                defaults.maxItemsPerSweep());
    return new dev.cairn.core.sweep.SweepUseCase(
        ledger(),
        artifactStore(),
        executions,
        events,
        metrics(),
        config().chain(),
        sweep,
        approvalCounter().quiet(),
        clock);
  }

  /** The finalizer: the record, the stacks through each environment's read-only role. */
  public dev.cairn.core.finalize.FinalizeUseCase finalizeUseCase(
      StackDeployers deployers,
      dev.cairn.core.sweep.port.PipelineEvents events,
      dev.cairn.core.finalize.port.TestBuilds testBuilds) {
    DeploymentLedger ledger = ledger();
    S3ArtifactStore store = artifactStore();
    return new dev.cairn.core.finalize.FinalizeUseCase(
        ledger,
        store,
        deployers,
        config().chain(),
        events,
        metrics(),
        testBuilds,
        // An execution that ended before its recording step: its release evidence record.
        new dev.cairn.core.evidence.ReleaseEvidenceRecorder(
            ledger, auditLog(), store, required("RELEASE_BUCKET"), clock),
        clock);
  }

  /** The audit log of the default chain. */
  public dev.cairn.aws.audit.DynamoDbAuditLog auditLog() {
    return new dev.cairn.aws.audit.DynamoDbAuditLog(
        dynamoDb,
        required("AUDIT_TABLE_NAME"),
        dev.cairn.core.audit.AuditChain.DEFAULT_CHAIN_ID,
        itemMacs,
        integrityAlerts);
  }

  /** The anchors bucket ({@code AUDIT_ANCHORS_BUCKET}). */
  public dev.cairn.aws.anchor.S3AnchorStore anchorStore() {
    return new dev.cairn.aws.anchor.S3AnchorStore(
        s3, required("AUDIT_ANCHORS_BUCKET"), env.get("EXPECTED_BUCKET_OWNER"));
  }

  /**
   * The audit anchorer: anchors bucket, {@code ANCHOR_TOPIC_ARN}, and {@code trail} (CloudTrail
   * Lake, or none).
   */
  public dev.cairn.core.anchor.AuditAnchorer auditAnchorer(
      dev.cairn.core.anchor.port.AnchorTrail trail) {
    // The anchorer reads the audit log and may not write it: a refused entry is alerted only.
    dev.cairn.aws.audit.DynamoDbAuditLog readOnly =
        new dev.cairn.aws.audit.DynamoDbAuditLog(
            dynamoDb,
            required("AUDIT_TABLE_NAME"),
            dev.cairn.core.audit.AuditChain.DEFAULT_CHAIN_ID,
            itemMacs,
            dev.cairn.aws.integrity.SnsAuditedIntegrityAlerts.alertOnly(
                clients.client(software.amazon.awssdk.services.sns.SnsClient.class),
                required("ALERT_TOPIC_ARN"),
                actor(),
                clock));
    return new dev.cairn.core.anchor.AuditAnchorer(
        readOnly,
        anchorStore(),
        new dev.cairn.aws.sns.SnsAnchorPublisher(
            clients.client(software.amazon.awssdk.services.sns.SnsClient.class),
            required("ANCHOR_TOPIC_ARN")),
        trail,
        metrics(),
        metrics(),
        // "Prod" of the KPIs is the chain's last environment (docs/kpis.md).
        config().chain().last().name(),
        clock);
  }

  /**
   * The operators' keys from the current control-plane config, checked against CI's trust policy.
   */
  public dev.cairn.core.override.OperatorTrust operatorTrust() {
    ControlPlaneConfig c = config();
    return dev.cairn.core.override.OperatorTrust.parse(
        dev.cairn.core.json.Json.compact(
                dev.cairn.core.override.OperatorTrust.toJson(c.operatorKeys()))
            .getBytes(java.nio.charset.StandardCharsets.UTF_8),
        c.trustPolicy());
  }

  /**
   * The approval count the lease uses: stored approvals re-verified against the operators' keys and
   * this installation's id; ignored ones are audited.
   */
  public dev.cairn.core.override.ApprovalCounter approvalCounter() {
    return new dev.cairn.core.override.ApprovalCounter(
        approvalStore(), operatorTrust(), config().installationId(), auditLog(), clock);
  }

  /**
   * The override verifier on the current config: the operators' keys (checked against CI's) and
   * this installation's id as the audience.
   */
  public dev.cairn.core.override.OverrideVerifier overrideVerifier() {
    return new dev.cairn.core.override.OverrideVerifier(
        operatorTrust(), config().installationId(), clock);
  }

  /** The override Lambda's services: operator keys from the control-plane config. */
  public dev.cairn.core.override.OverrideServices overrideServices(
      dev.cairn.core.override.port.OverrideNotifier notifier,
      dev.cairn.core.override.port.PipelineStarter starter) {
    ControlPlaneConfig c = config();
    String idempotency = required("IDEMPOTENCY_TABLE_NAME");
    return new dev.cairn.core.override.OverrideServices(
        overrideVerifier(),
        ledger(),
        auditLog(),
        artifactStore(),
        c.trustPolicy(),
        c.chain(),
        required("CANDIDATE_BUCKET"),
        required("RELEASE_BUCKET"),
        new dev.cairn.aws.idempotency.DynamoDbNonceStore(dynamoDb, idempotency),
        approvalStore(),
        breakGlassFlag(),
        breakGlassStore(),
        notifier,
        starter,
        clock);
  }

  /** The SSM break-glass flag ({@code BREAK_GLASS_PARAMETER}), read on every use. */
  public dev.cairn.aws.override.SsmBreakGlassFlag breakGlassFlag() {
    return new dev.cairn.aws.override.SsmBreakGlassFlag(
        ssm, required("BREAK_GLASS_PARAMETER"), clock);
  }

  /** Stored break_glass requests ({@code IDEMPOTENCY_TABLE_NAME}). */
  public dev.cairn.aws.idempotency.DynamoDbBreakGlassStore breakGlassStore() {
    return new dev.cairn.aws.idempotency.DynamoDbBreakGlassStore(
        dynamoDb, required("IDEMPOTENCY_TABLE_NAME"), clock);
  }

  /**
   * The drift gate's break_glass check: the stored request, verified again on the operator trust as
   * it reads now (within the config TTL), alerts to {@code ALERT_TOPIC_ARN}.
   */
  public dev.cairn.core.override.BreakGlassGate breakGlassGate(
      dev.cairn.core.override.port.OverrideNotifier notifier) {
    return new dev.cairn.core.override.BreakGlassGate(
        breakGlassStore(), breakGlassFlag(), this::overrideVerifier, notifier::alert, clock);
  }

  /** Audits and alerts a change to the break-glass flag or the trust configuration. */
  public dev.cairn.core.override.TrustRootWatch trustRootWatch(
      dev.cairn.core.override.port.OverrideNotifier notifier) {
    return new dev.cairn.core.override.TrustRootWatch(
        auditLog(),
        notifier,
        name -> {
          try {
            return java.util.Optional.of(
                TransientErrors.translate(() -> ssm.getParameter(r -> r.name(name)))
                    .parameter()
                    .value());
          } catch (software.amazon.awssdk.services.ssm.model.ParameterNotFoundException e) {
            return java.util.Optional.empty();
          }
        },
        required("BREAK_GLASS_PARAMETER"),
        configParameter,
        clock);
  }

  /** Signed approvals ({@code IDEMPOTENCY_TABLE_NAME}); the lease counts them. */
  public dev.cairn.aws.idempotency.DynamoDbApprovalStore approvalStore() {
    return new dev.cairn.aws.idempotency.DynamoDbApprovalStore(
        dynamoDb, required("IDEMPOTENCY_TABLE_NAME"), clock);
  }

  /**
   * The registrar: the candidate bucket, the ledger and the audit log; the trust policy and the
   * environment chain from the control-plane configuration. CI may only invoke it.
   */
  public dev.cairn.core.registrar.RegistrationUseCase registrationUseCase() {
    return new dev.cairn.core.registrar.RegistrationUseCase(
        ledger(),
        auditLog(),
        artifactStore(),
        new dev.cairn.core.verify.ArtifactVerifier(
            config().trustPolicy(), dev.cairn.core.verify.VerifierOptions.pipeline(), clock),
        config().chain(),
        required("CANDIDATE_BUCKET"),
        required("AWS_REGION"),
        env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "cairn-registrar"),
        clock);
  }
}
