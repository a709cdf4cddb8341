package dev.cairn.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.assembly.AssemblyException;
import dev.cairn.core.assembly.CloudAssembly;
import dev.cairn.core.assembly.StackArtifact;
import dev.cairn.core.deploy.DeploymentNames;
import dev.cairn.core.deploy.StackPolicy;
import dev.cairn.core.failure.EvidenceFailure;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.integrity.port.ArtifactSource;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import dev.cairn.core.lifecycle.StateChange;
import dev.cairn.core.lifecycle.TestStatus;
import dev.cairn.core.manifest.ManifestParser;
import dev.cairn.core.pipeline.port.StackDeployer;
import dev.cairn.core.verify.ArtifactVerifier;
import dev.cairn.core.verify.Expectations;
import dev.cairn.core.verify.ProgressListener;
import dev.cairn.core.verify.VerificationReport;
import dev.cairn.core.verify.VerifierOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The deploy phase: change sets per stack of the cloud assembly, in dependency order (contract
 * actions {@code create_change_sets}, {@code poll_change_sets}, {@code execute_change_sets}, {@code
 * poll_stacks}). The rollback's redeploys run on the same machinery ({@link #open}, {@link
 * #verifyRelease}) from {@code dev.cairn.core.rollback}, which sits above this package.
 */
public final class RolloutUseCase {

  /**
   * A service may ship a stack policy for all its stacks at this path inside the signed artifact.
   */
  public static final String SHIPPED_STACK_POLICY = "cairn-stack-policy.json";

  private final PipelineServices s;

  public RolloutUseCase(PipelineServices services) {
    this.s = services;
  }

  public DeployerResult.ChangeSetsCreated createChangeSets(DeployerCommand.CreateChangeSets cmd) {
    PipelineRequest req = cmd.request();
    DeploymentId id =
        DeploymentId.deploy(cmd.bucket(), req.commitSha(), req.environment(), req.executionId());
    StackRollout r = open(req, id, cmd.evidence());
    r.checkTemplates();
    StackRollout.Step step = r.advance(false);
    if (step.phase() == StackRollout.Phase.FAILED) {
      throw new DeployFailed(step.stack() + ": " + step.reason());
    }
    return new DeployerResult.ChangeSetsCreated(id, r.stackNames());
  }

  public DeployerResult.ChangeSetsPolled pollChangeSets(DeployerCommand.PollChangeSets cmd) {
    StackRollout.Step step = open(cmd.request(), cmd.deploymentId(), cmd.evidence()).advance(false);
    DeployerResult.ChangeSetStatus status =
        switch (step.phase()) {
          case IN_PROGRESS -> DeployerResult.ChangeSetStatus.PENDING;
          case READY, SUCCEEDED -> DeployerResult.ChangeSetStatus.READY;
          case FAILED -> DeployerResult.ChangeSetStatus.FAILED;
        };
    return new DeployerResult.ChangeSetsPolled(status, failureReason(step), nextPoll(step));
  }

  /** {@code next_poll_seconds}: when to look again ({@link PollSchedule}). */
  public int nextPoll(StackRollout.Step step) {
    Instant now = s.clock().instant();
    return PollSchedule.nextWait(step.expected(), step.since() != null ? step.since() : now, now);
  }

  /** {@code reason}: the failed stack and CloudFormation's reason, else null. */
  public static String failureReason(StackRollout.Step step) {
    return step.phase() == StackRollout.Phase.FAILED ? step.stack() + ": " + step.reason() : null;
  }

  public DeployerResult.ChangeSetsExecuted executeChangeSets(
      DeployerCommand.ExecuteChangeSets cmd) {
    StackRollout r = open(cmd.request(), cmd.deploymentId(), cmd.evidence());
    StackRollout.Step step = r.advance(true);
    if (step.phase() == StackRollout.Phase.FAILED) {
      throw new DeployFailed(step.stack() + ": " + step.reason());
    }
    return new DeployerResult.ChangeSetsExecuted(r.stackNames(), nextPoll(step));
  }

  /** Advances the rollout; on success records the environment as deployed (tests run next). */
  public DeployerResult.StacksPolled pollStacks(DeployerCommand.PollStacks cmd) {
    PipelineRequest req = cmd.request();
    DeploymentId id = cmd.deploymentId();
    StackRollout.Step step = open(req, id, cmd.evidence()).advance(true);
    if (step.phase() != StackRollout.Phase.SUCCEEDED) {
      return new DeployerResult.StacksPolled(
          step.phase() == StackRollout.Phase.FAILED
              ? DeployerResult.RolloutStatus.FAILED
              : DeployerResult.RolloutStatus.IN_PROGRESS,
          failureReason(step),
          nextPoll(step));
    }
    Instant now = s.clock().instant();
    String env = req.environment();
    ArtifactRecord before = LedgerMoves.current(s.ledger(), req.key());
    Instant started = before.environment(env).deployStartedAt();
    long seconds = started == null ? 0 : Math.max(0, Duration.between(started, now).toSeconds());
    ArtifactRecord after =
        LedgerMoves.move(
            s.ledger(),
            req,
            "DeploySucceeded",
            List.of(
                StateChange.environment(
                    env, EnvironmentStatus.DEPLOYING, EnvironmentStatus.DEPLOYED),
                StateChange.test(env, TestStatus.NOT_TESTED, TestStatus.TEST_RUNNING)),
            LedgerMoves.env(
                    env,
                    e -> LedgerMoves.times(e, null, now, now, null, id.toString(), seconds, null))
                .andThen(b -> b.deploymentId(id.toString())),
            Map.of("deployment_id", id.toString()));
    // DeployLatency: from the signed commit_time this execution verified (seed 004's lead time
    // starts at the commit), else from build_time (a manifest without commit_time), to
    // deploy_completed_at; once per environment, only on the write that moved deploying →
    // deployed.
    Instant start = cmd.commitTime() != null ? cmd.commitTime() : before.buildTime();
    if (after != before && start != null) {
      s.metrics().deployLatency(req.service(), env, Duration.between(start, now));
    }
    return new DeployerResult.StacksPolled(
        DeployerResult.RolloutStatus.SUCCEEDED, null, nextPoll(step));
  }

  /**
   * Verifies a release artifact against the ledger's digest (the context was checked at its own
   * deploy).
   */
  public VerificationReport verifyRelease(String service, String commit, String expectedDigest) {
    try {
      byte[] manifest =
          s.store()
              .readManifest(s.releaseBucket(), service, commit, ManifestParser.MAX_MANIFEST_BYTES)
              .orElse(null);
      VerifierOptions options =
          new VerifierOptions(VerifierOptions.local().hashThreads(), true, false);
      return new ArtifactVerifier(s.trustPolicy(), options, s.clock())
          .verify(
              manifest,
              s.store().source(s.releaseBucket(), service, commit),
              new Expectations(service, commit, expectedDigest, null),
              ProgressListener.NONE);
    } catch (IOException e) {
      throw new TransientError(
          "could not read release artifact " + service + "@" + commit + ": " + e.getMessage(), e);
    }
  }

  /**
   * Verifies the release copy an execution just wrote: the manifest must be the very bytes the
   * execution verified ({@code manifest_sha256}) and the files must recompute to its {@code
   * artifact_sha256}.
   *
   * @throws EvidenceRefused {@link EvidenceFailure#EVIDENCE_DIGEST_MISMATCH} otherwise
   */
  void verifyReleaseCopy(String service, String commit, ArtifactEvidence evidence) {
    byte[] manifest;
    try {
      manifest =
          s.store()
              .readManifest(s.releaseBucket(), service, commit, ManifestParser.MAX_MANIFEST_BYTES)
              .orElse(new byte[0]);
    } catch (IOException e) {
      throw new TransientError(
          "could not read release artifact " + service + "@" + commit + ": " + e.getMessage(), e);
    }
    String manifestSha256 = Sha256.hex(manifest);
    if (!manifestSha256.equals(evidence.manifestSha256())) {
      throw new EvidenceRefused(
          EvidenceFailure.EVIDENCE_DIGEST_MISMATCH,
          "the release manifest of "
              + service
              + "@"
              + commit
              + " hashes to "
              + manifestSha256
              + "; the execution verified "
              + evidence.manifestSha256());
    }
    VerificationReport copy = verifyRelease(service, commit, evidence.artifactSha256());
    if (!copy.accepted()) {
      throw new EvidenceRefused(
          EvidenceFailure.EVIDENCE_DIGEST_MISMATCH,
          "the release copy failed verification against the execution's digest: "
              + copy.firstFailure().code()
              + ": "
              + copy.firstFailure().detail());
    }
  }

  /**
   * The change sets of deployment {@code id} in its environment, per stack of the cloud assembly it
   * deploys: for a deploy, read at the versions the execution verified ({@code evidence}); for a
   * rollback, from the write-once release bucket ({@code evidence} is not read).
   */
  public StackRollout open(PipelineRequest req, DeploymentId id, ArtifactEvidence evidence) {
    EnvironmentPolicy env = s.chain().get(id.environment());
    ArtifactSource source = assemblySource(req, id, evidence);
    List<StackArtifact> plan;
    StackPolicy shipped;
    try {
      plan = CloudAssembly.read(source).planFor(env.account(), env.region());
      shipped = shippedPolicy(source);
    } catch (AssemblyException e) {
      throw new DeployFailed("cloud assembly refused (" + e.reason() + "): " + e.getMessage());
    } catch (IOException e) {
      throw new TransientError("could not read the cloud assembly: " + e.getMessage(), e);
    }
    // The environment's policy always applies; an artifact's can only add denies to it (an artifact
    // is written by CI, which must not be able to lift the environment's protection).
    StackPolicy policy = environmentPolicy(env);
    if (shipped != null) {
      if (shipped.hasAllow()) {
        throw new EvidenceRefused(
            EvidenceFailure.STACK_POLICY_ALLOW_REFUSED,
            "the artifact's "
                + SHIPPED_STACK_POLICY
                + " has an Allow statement; it may only add Deny statements to environment "
                + env.name()
                + "'s stack policy");
      }
      policy = policy.withDeniesOf(shipped);
    }
    StackPolicy merged = policy;
    StackDeployer cfn =
        s.deployers()
            .forEnvironment(env, "cairn-" + DeploymentId.executionLabel(req.executionId()));
    return new StackRollout(
        cfn,
        plan,
        id.changeSetName(),
        stack ->
            DeploymentNames.clientToken(
                req.service(),
                id.commitSha(),
                env.name(),
                stack.stackName(),
                id.label().hashCode()),
        env.cloudFormationExecutionRoleArn(),
        stack -> merged,
        Map.of(
            "cairn:service",
            req.service(),
            "cairn:commit",
            id.commitSha(),
            "cairn:environment",
            env.name()),
        s.bootstrapVersionParameter(),
        stack -> pinnedTemplateUrl(cfn, source, stack),
        stack -> verifiedTemplate(source, stack));
  }

  /**
   * A stack's template as the verified artifact has it, for the expected time of its operations
   * (the poll schedule); empty when it cannot be read, and the polls then start short.
   */
  static Optional<JsonNode> verifiedTemplate(ArtifactSource source, StackArtifact stack) {
    try (InputStream in = source.open(stack.templatePath())) {
      return Optional.of(Json.parse(in));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The {@code TemplateURL} of the template version this step has just checked: the deploy role
   * reads the object {@code cdk-assets} published in the target's bootstrap bucket, hashes it, and
   * compares it with the template in the artifact it deploys (read at the versions this execution
   * verified, or from the write-once release bucket for a rollback). CloudFormation is then given
   * that object version, so a write to the key after the check (by anyone who can publish assets)
   * does not change what is deployed.
   *
   * @throws EvidenceRefused {@link EvidenceFailure#TEMPLATE_DESTINATION_MISMATCH} when the object
   *     is absent or other bytes, {@link EvidenceFailure#TEMPLATE_NOT_VERSIONED} when the bucket
   *     gives no version to pin
   */
  static String pinnedTemplateUrl(StackDeployer cfn, ArtifactSource source, StackArtifact stack) {
    String expected;
    try (InputStream in = source.open(stack.templatePath())) {
      expected = Sha256.hash(in).hex();
    } catch (IOException e) {
      throw new TransientError(
          "could not read " + stack.templatePath() + " of the artifact: " + e.getMessage(), e);
    }
    String where = stack.templateObject().s3Url();
    StackDeployer.TemplateRead read =
        cfn.readTemplate(stack.account(), stack.templateObject())
            .orElseThrow(
                () ->
                    new EvidenceRefused(
                        EvidenceFailure.TEMPLATE_DESTINATION_MISMATCH,
                        "stack "
                            + stack.stackName()
                            + ": its template is not at "
                            + where
                            + " (was cdk-assets publish run?)"));
    String actual = Sha256.hex(read.bytes());
    if (!actual.equals(expected)) {
      throw new EvidenceRefused(
          EvidenceFailure.TEMPLATE_DESTINATION_MISMATCH,
          "stack "
              + stack.stackName()
              + ": "
              + where
              + " hashes to "
              + actual
              + "; the verified artifact's "
              + stack.templatePath()
              + " is "
              + expected);
    }
    String version = read.versionId();
    if (version == null || version.isBlank() || version.equals("null")) {
      throw new EvidenceRefused(
          EvidenceFailure.TEMPLATE_NOT_VERSIONED,
          "stack "
              + stack.stackName()
              + ": "
              + where
              + " has no version id; enable versioning on the bootstrap bucket (cdk bootstrap"
              + " does by default)");
    }
    return stack.templateObject().templateUrl(version);
  }

  /**
   * The deploy reads the cloud assembly at the versions this execution verified (its own commit in
   * its own bucket). A rollback deploys another commit from the write-once release bucket, which
   * only a verified promotion wrote, and re-verifies it first ({@code rollback.RollbackUseCase}).
   */
  private ArtifactSource assemblySource(
      PipelineRequest req, DeploymentId id, ArtifactEvidence evidence) {
    if (id.kind() == DeploymentId.Kind.rollback) {
      return s.store().source(id.bucket(), req.service(), id.commitSha());
    }
    if (evidence == null) {
      throw new EvidenceRefused(
          EvidenceFailure.EVIDENCE_MISSING, "the execution carries no verified evidence");
    }
    if (!evidence.bucket().equals(id.bucket()) || !req.commitSha().equals(id.commitSha())) {
      throw new EvidenceRefused(
          EvidenceFailure.EVIDENCE_BUCKET_MISMATCH,
          "the deployment reads s3://"
              + id.bucket()
              + " at "
              + id.commitSha()
              + " but the execution verified s3://"
              + evidence.bucket()
              + " at "
              + req.commitSha());
    }
    return s.store().source(evidence, req.service(), id.commitSha());
  }

  private static StackPolicy environmentPolicy(EnvironmentPolicy env) {
    if (env.stackPolicy() == null) {
      return StackPolicy.protectingStatefulResources();
    }
    try {
      return StackPolicy.parse(env.stackPolicy());
    } catch (StackPolicy.InvalidStackPolicyException e) {
      throw new DeployFailed(
          "environment " + env.name() + " has an invalid default stack policy: " + e.getMessage());
    }
  }

  private static StackPolicy shippedPolicy(ArtifactSource source) throws IOException {
    boolean present = source.list().stream().anyMatch(e -> e.path().equals(SHIPPED_STACK_POLICY));
    if (!present) {
      return null;
    }
    try (InputStream in = source.open(SHIPPED_STACK_POLICY)) {
      return StackPolicy.parse(new String(in.readNBytes(256 * 1024), StandardCharsets.UTF_8));
    } catch (StackPolicy.InvalidStackPolicyException e) {
      throw new DeployFailed(
          "the artifact's " + SHIPPED_STACK_POLICY + " is invalid: " + e.getMessage());
    }
  }
}
