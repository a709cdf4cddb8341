package dev.cairn.core.override;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.audit.Actor;
import dev.cairn.core.audit.AuditEvent;
import dev.cairn.core.failure.OverrideFailure;
import dev.cairn.core.integrity.ArtifactLayout;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.EnvironmentState;
import dev.cairn.core.ledger.TransitionRequest;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.lifecycle.ArtifactStatus;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import dev.cairn.core.lifecycle.StateChange;
import dev.cairn.core.lifecycle.TestStatus;
import dev.cairn.core.lifecycle.TransitionRefusedException;
import dev.cairn.core.manifest.ManifestParser;
import dev.cairn.core.pipeline.EnvironmentPolicy;
import dev.cairn.core.verify.ArtifactVerifier;
import dev.cairn.core.verify.Expectations;
import dev.cairn.core.verify.ProgressListener;
import dev.cairn.core.verify.VerificationReport;
import dev.cairn.core.verify.VerifierOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The override Lambda's use case (spec: manual promotion/rollback, requeue, break-glass,
 * approvals), as a fixed sequence of steps, each refusing with a stable {@link OverrideFailure}:
 *
 * <ol>
 *   <li>structure, signer (an operator, never CI), signature, time window ({@link
 *       OverrideVerifier});
 *   <li>single use: the nonce is claimed with a conditional write ({@code OVERRIDE_REPLAYED});
 *   <li>{@code break_glass} only: the SSM flag is on and unexpired ({@code BREAK_GLASS_DISABLED});
 *   <li>the action's preconditions against the ledger; a rollback or promotion target must be a
 *       release artifact that verifies against CI's trust policy ({@code
 *       OVERRIDE_PRECONDITION_FAILED});
 *   <li>apply: one ledger transition by the {@code operator} role with the signed justification
 *       ({@code OverrideApplied}), then the pipeline execution where the action needs one. A {@code
 *       break_glass} request is stored as signed, bound to that execution, before the execution
 *       starts: the drift gate verifies it again and consumes it ({@link BreakGlassGate}).
 * </ol>
 *
 * <p>Every invocation appends one {@code OverrideRequested} audit entry (through {@link
 * dev.cairn.core.audit.port.AuditLog}, so a refusal leaves the artifact record byte-for-byte
 * unchanged) and emits the {@code OverrideRequested} event; success also emits {@code
 * OverrideApplied}. Every {@code break_glass} request alerts, accepted or refused.
 */
public final class OverrideUseCase {

  /** Nonces are kept well past any request's expiry; after that the request is expired anyway. */
  static final Duration NONCE_RETENTION = Duration.ofDays(1);

  private final OverrideServices s;

  public OverrideUseCase(OverrideServices services) {
    this.s = services;
  }

  /** Handles one signed request document; the result's answer is the Lambda's output. */
  public OverrideOutcome decide(byte[] document) {
    OverrideRequest claimed = bestEffort(document);
    VerifiedOverride verified = null;
    OverrideOutcome outcome;
    try {
      // 1. Structure, signer, signature, time window.
      verified = s.verifier().verify(document);
      outcome = new OverrideOutcome.Applied(applyVerified(verified, document));
    } catch (OverrideRefusedException e) {
      outcome = new OverrideOutcome.Refused(e.failure(), e.detail(), refuse(claimed, verified, e));
    }
    if (claimed != null && claimed.action() == OverrideAction.BREAK_GLASS) {
      String word = outcome instanceof OverrideOutcome.Applied ? "applied" : "refused";
      s.notifier()
          .alert(
              "Cairn break_glass " + word + ": " + claimed.service(),
              Json.pretty(outcome.answer()));
    }
    return outcome;
  }

  /** {@link #decide}'s answer: the override Lambda's output. */
  public ObjectNode submit(byte[] document) {
    return decide(document).answer();
  }

  private ObjectNode applyVerified(VerifiedOverride v, byte[] document)
      throws OverrideRefusedException {
    OverrideRequest r = v.request();
    // 2. Single use.
    if (!s.nonces().claim(r.nonce(), r.expiresAt().plus(NONCE_RETENTION))) {
      throw new OverrideRefusedException(
          OverrideFailure.OVERRIDE_REPLAYED, "nonce " + r.nonce() + " was already used");
    }
    // 3. Break-glass needs the SSM flag.
    if (r.action() == OverrideAction.BREAK_GLASS) {
      BreakGlassFlagState flag = s.breakGlass().read();
      if (!flag.enabled()) {
        throw new OverrideRefusedException(
            OverrideFailure.BREAK_GLASS_DISABLED,
            "the SSM break-glass flag is off ("
                + flag.detail()
                + "); an administrator must set {\"enabled\":true,\"expires_at\":…} first");
      }
    }
    // 4. Preconditions, computed without writing.
    Plan plan = plan(v, document);
    // 5. Apply.
    return applyPlan(v, plan, document);
  }

  /** What an accepted request will write and start. */
  private record Plan(
      ArtifactKey key,
      String environment,
      List<StateChange> changes,
      Consumer<ArtifactRecord.Builder> attributes,
      String bucket,
      boolean startExecution,
      Map<String, String> details) {}

  private Plan plan(VerifiedOverride v, byte[] document) throws OverrideRefusedException {
    OverrideRequest r = v.request();
    ArtifactKey key = new ArtifactKey(r.service(), r.commitSha());
    ArtifactRecord record =
        s.ledger()
            .find(key)
            .orElseThrow(
                () ->
                    precondition(
                        "no artifact record for " + key.service() + "@" + key.commitSha()));
    String envName = r.environment() != null ? r.environment() : s.chain().first().name();
    EnvironmentPolicy env;
    try {
      env = s.chain().get(envName);
    } catch (IllegalArgumentException e) {
      throw precondition("environment " + envName + " is not in the environment chain");
    }
    EnvironmentState state = record.environment(envName);
    if (state == null) {
      throw precondition("the record has no environment " + envName);
    }
    boolean first = s.chain().first().name().equals(envName);
    String signature = r.signature();
    Map<String, String> details = new LinkedHashMap<>(common(v));
    return switch (r.action()) {
      case ROLLBACK, PROMOTE -> {
        requireRelease(r, record);
        List<StateChange> changes = toPending(state, envName);
        Consumer<ArtifactRecord.Builder> attrs =
            r.action() == OverrideAction.ROLLBACK
                ? b -> b.overrideSignature(signature).rollbackReason(r.reason())
                : b -> b.overrideSignature(signature).promotionReason(r.reason());
        yield new Plan(key, envName, changes, attrs, s.releaseBucket(), true, details);
      }
      case REQUEUE -> {
        List<StateChange> changes = new ArrayList<>();
        if (first && record.status() == ArtifactStatus.REJECTED) {
          changes.add(StateChange.status(ArtifactStatus.REJECTED, ArtifactStatus.CANDIDATE));
        } else if (!first) {
          requireRelease(r, record);
        }
        changes.addAll(toPending(state, envName));
        yield new Plan(
            key,
            envName,
            changes,
            b -> b.overrideSignature(signature),
            first ? s.candidateBucket() : s.releaseBucket(),
            true,
            details);
      }
      case BREAK_GLASS -> {
        if (!first) {
          requireRelease(r, record);
        }
        List<StateChange> changes = toPending(state, envName);
        // Exactly what DriftUseCase accepts as a signed, authorized override of the drift gate.
        yield new Plan(
            key,
            envName,
            changes,
            b ->
                b.manualOverrideRequested(true)
                    .overrideSignature(signature)
                    .promotionReason(r.reason()),
            first ? s.candidateBucket() : s.releaseBucket(),
            true,
            details);
      }
      case APPROVE -> {
        int required = env.approvalsRequired();
        if (required <= 0) {
          throw precondition("environment " + envName + " requires no approvals");
        }
        if (state.status() != EnvironmentStatus.PENDING
            && state.status() != EnvironmentStatus.NOT_DEPLOYED) {
          throw precondition(
              "environment " + envName + " is " + state.status() + "; nothing awaits approval");
        }
        ApprovalBinding binding = OverrideRequests.parse(document).approval();
        Duration lifetime = Duration.between(r.requestedAt(), binding.expiresAt());
        if (lifetime.isNegative()
            || lifetime.isZero()
            || lifetime.compareTo(OverrideRequests.MAX_APPROVAL_LIFETIME) > 0) {
          throw new OverrideRefusedException(
              OverrideFailure.APPROVAL_EXPIRY_TOO_LONG,
              "requested_at " + r.requestedAt() + ", approval_expires_at " + binding.expiresAt());
        }
        if (!s.clock().instant().isBefore(binding.expiresAt())) {
          throw new OverrideRefusedException(
              OverrideFailure.APPROVAL_EXPIRED, "approval expired at " + binding.expiresAt());
        }
        // Early and helpful only: the lease counts it against the digest its own execution
        // verified, not against this record.
        if (!binding.artifactSha256().equals(record.artifactSha256())) {
          throw new OverrideRefusedException(
              OverrideFailure.APPROVAL_WRONG_ARTIFACT,
              "approves digest "
                  + binding.artifactSha256()
                  + "; "
                  + key.service()
                  + "@"
                  + key.commitSha()
                  + " has "
                  + record.artifactSha256());
        }
        details.put("approvals_required", String.valueOf(required));
        details.put("artifact_sha256", binding.artifactSha256());
        details.put("installation_id", binding.installationId());
        details.put("approval_expires_at", binding.expiresAt().toString());
        yield new Plan(
            key,
            envName,
            List.of(),
            b -> {},
            first ? s.candidateBucket() : s.releaseBucket(),
            false,
            details);
      }
    };
  }

  private ObjectNode applyPlan(VerifiedOverride v, Plan plan, byte[] document)
      throws OverrideRefusedException {
    OverrideRequest r = v.request();
    Actor actor = new Actor(ActorRole.OPERATOR, v.signerIdentity());
    boolean start = plan.startExecution();
    Map<String, String> details = new LinkedHashMap<>(plan.details());
    ObjectNode out = outcome("applied", r);
    if (r.action() == OverrideAction.APPROVE) {
      Set<String> approvers =
          s.approvals().record(plan.key(), plan.environment(), v.keyFingerprint(), document);
      int required = Integer.parseInt(details.get("approvals_required"));
      details.put("approvals_distinct", String.valueOf(approvers.size()));
      ObjectNode a = out.putObject("approvals");
      a.put("required", required);
      a.put("distinct", approvers.size());
      EnvironmentState st =
          s.ledger().find(plan.key()).orElseThrow().environment(plan.environment());
      start = approvers.size() >= required && st.status() == EnvironmentStatus.PENDING;
    }
    String executionName = start ? executionName(r) : null;
    if (executionName != null) {
      details.put("execution_name", executionName);
    }
    audit(plan.key(), actor, r, "accepted", null, details);
    try {
      s.ledger()
          .transition(
              new TransitionRequest(
                  plan.key(),
                  actor,
                  "OverrideApplied",
                  plan.changes(),
                  plan.attributes(),
                  r.reason(),
                  r.signature(),
                  details));
    } catch (TransitionRefusedException e) {
      // The record moved between the precondition check and the write.
      throw precondition("the ledger refused the move: " + e.getMessage());
    }
    if (r.action() == OverrideAction.BREAK_GLASS) {
      // Stored before the execution starts, so its drift gate always finds it.
      s.breakGlassRequests()
          .store(
              new StoredBreakGlass(
                  plan.key(),
                  new String(document, StandardCharsets.UTF_8),
                  r.nonce(),
                  executionName,
                  null));
    }
    if (executionName != null) {
      ObjectNode input = Json.object();
      input.put("service", r.service());
      input.put("commit_sha", r.commitSha());
      input.put("environment", plan.environment());
      input.put("trigger", "override");
      input.put("bucket", plan.bucket());
      input.put(
          "manifest_key",
          ArtifactLayout.prefix(r.service(), r.commitSha()) + ArtifactLayout.MANIFEST_FILE);
      out.put("execution_arn", s.pipeline().start(executionName, input));
      out.put("execution_name", executionName);
    } else {
      out.putNull("execution_name");
    }
    ObjectNode detail = eventDetail(r, "accepted", null);
    s.notifier().event("OverrideRequested", detail);
    ObjectNode applied = eventDetail(r, "applied", null);
    applied.put("signer", v.signerIdentity());
    if (executionName != null) {
      applied.put("execution_name", executionName);
    }
    if (out.has("approvals")) {
      applied.set("approvals", out.get("approvals").deepCopy());
    }
    s.notifier().event("OverrideApplied", applied);
    return out;
  }

  private ObjectNode refuse(
      OverrideRequest claimed, VerifiedOverride v, OverrideRefusedException e) {
    OverrideRequest r = v != null ? v.request() : claimed;
    String detail = e.detail();
    Actor actor =
        v != null
            ? new Actor(ActorRole.OPERATOR, v.signerIdentity())
            : new Actor(
                ActorRole.OPERATOR,
                "unverified:"
                    + (r == null || r.signingIdentity().isBlank()
                        ? "unknown"
                        : r.signingIdentity()));
    Map<String, String> details =
        v != null ? new LinkedHashMap<>(common(v)) : new LinkedHashMap<>();
    if (v == null && r != null) {
      details.put("override_action", r.action().wireName());
      details.put("nonce", r.nonce());
    }
    details.put("failure", e.failure().name());
    details.put("failure_detail", detail.length() > 500 ? detail.substring(0, 500) : detail);
    ArtifactKey key = r == null ? null : new ArtifactKey(r.service(), r.commitSha());
    audit(key, actor, r, "refused", e.failure(), details);
    s.notifier().event("OverrideRequested", eventDetail(r, "refused", e));
    ObjectNode out = r == null ? Json.object() : outcome("refused", r);
    if (r == null) {
      out.put("outcome", "refused");
    }
    out.put("failure", e.failure().name());
    out.put("detail", detail);
    out.put("summary", e.failure().summary());
    return out;
  }

  private void audit(
      ArtifactKey key,
      Actor actor,
      OverrideRequest r,
      String outcome,
      OverrideFailure failure,
      Map<String, String> details) {
    Map<String, String> d = new LinkedHashMap<>(details);
    d.put("outcome", outcome);
    s.audit()
        .append(
            new AuditEvent(
                s.clock().instant(),
                actor,
                "OverrideRequested",
                key,
                null,
                null,
                List.of(),
                r == null ? null : r.reason(),
                r == null || failure != null && failure == OverrideFailure.OVERRIDE_MALFORMED
                    ? null
                    : r.signature(),
                d));
  }

  private static Map<String, String> common(VerifiedOverride v) {
    OverrideRequest r = v.request();
    Map<String, String> d = new LinkedHashMap<>();
    d.put("override_action", r.action().wireName());
    d.put("nonce", r.nonce());
    d.put("requester", r.requester());
    d.put("signing_identity", v.signerIdentity());
    d.put("key_fingerprint", v.keyFingerprint());
    d.put("expires_at", r.expiresAt().toString());
    if (r.environment() != null) {
      d.put("environment", r.environment());
    }
    return d;
  }

  private static ObjectNode outcome(String outcome, OverrideRequest r) {
    ObjectNode out = Json.object();
    out.put("outcome", outcome);
    out.put("action", r.action().wireName());
    out.put("service", r.service());
    out.put("commit_sha", r.commitSha());
    if (r.environment() == null) {
      out.putNull("environment");
    } else {
      out.put("environment", r.environment());
    }
    out.put("nonce", r.nonce());
    return out;
  }

  private static ObjectNode eventDetail(
      OverrideRequest r, String outcome, OverrideRefusedException e) {
    ObjectNode d = Json.object();
    d.put("outcome", outcome);
    if (r != null) {
      d.put("action", r.action().wireName());
      d.put("service", r.service());
      d.put("commit_sha", r.commitSha());
      if (r.environment() != null) {
        d.put("environment", r.environment());
      }
      d.put("requester", r.requester());
      d.put("signing_identity", r.signingIdentity());
      d.put("nonce", r.nonce());
    }
    if (e != null) {
      d.put("failure", e.failure().name());
    }
    return d;
  }

  /** Moves an environment back to {@code pending} (the operator rows of the lifecycle table). */
  private static List<StateChange> toPending(EnvironmentState state, String env)
      throws OverrideRefusedException {
    List<StateChange> changes = new ArrayList<>();
    switch (state.status()) {
      case PENDING -> {}
      case DEPLOYED, FAILED, NOT_DEPLOYED ->
          changes.add(StateChange.environment(env, state.status(), EnvironmentStatus.PENDING));
      default ->
          throw precondition(
              "environment "
                  + env
                  + " is "
                  + state.status()
                  + "; an override can only requeue deployed, failed, not_deployed or pending");
    }
    if (state.testStatus() == TestStatus.TEST_FAILED
        || state.testStatus() == TestStatus.TEST_PASSED) {
      changes.add(StateChange.test(env, state.testStatus(), TestStatus.NOT_TESTED));
    }
    return changes;
  }

  /** The target must be a release artifact that verifies against CI's trust policy. */
  private void requireRelease(OverrideRequest r, ArtifactRecord record)
      throws OverrideRefusedException {
    VerificationReport report;
    try {
      byte[] manifest =
          s.store()
              .readManifest(
                  s.releaseBucket(), r.service(), r.commitSha(), ManifestParser.MAX_MANIFEST_BYTES)
              .orElse(null);
      if (manifest == null) {
        throw precondition(
            r.service() + "@" + r.commitSha() + " has no release artifact (it was never promoted)");
      }
      VerifierOptions options =
          new VerifierOptions(VerifierOptions.local().hashThreads(), true, false);
      report =
          new ArtifactVerifier(s.ciTrust(), options, s.clock())
              .verify(
                  manifest,
                  s.store().source(s.releaseBucket(), r.service(), r.commitSha()),
                  new Expectations(r.service(), r.commitSha(), record.artifactSha256(), null),
                  ProgressListener.NONE);
    } catch (IOException e) {
      throw new dev.cairn.core.pipeline.TransientError(
          "could not read release artifact " + r.service() + "@" + r.commitSha(), e);
    }
    if (!report.accepted()) {
      throw precondition(
          "the release artifact does not verify: "
              + report.firstFailure().code()
              + ": "
              + report.firstFailure().detail());
    }
  }

  /**
   * Deterministic, per request: {@code ovr-<action>-<env>-<commit12>-<sha256(nonce)[0:12]>}, at
   * most 80 characters of {@code [A-Za-z0-9-]}.
   */
  static String executionName(OverrideRequest r) {
    String env = r.environment() == null ? "first" : r.environment();
    env = env.replaceAll("[^A-Za-z0-9-]", "-");
    if (env.length() > 24) {
      env = env.substring(0, 24);
    }
    String nonce = Sha256.hex(r.nonce().getBytes(StandardCharsets.UTF_8)).substring(0, 12);
    return "ovr-"
        + r.action().wireName().replace('_', '-')
        + "-"
        + env
        + "-"
        + r.commitSha().substring(0, 12)
        + "-"
        + nonce;
  }

  private static OverrideRequest bestEffort(byte[] document) {
    try {
      return OverrideRequests.parse(document).request();
    } catch (OverrideRefusedException e) {
      return null;
    }
  }

  private static OverrideRefusedException precondition(String detail) {
    return new OverrideRefusedException(OverrideFailure.OVERRIDE_PRECONDITION_FAILED, detail);
  }
}
