package dev.cairn.core.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.audit.Actor;
import dev.cairn.core.audit.port.AuditLog;
import dev.cairn.core.failure.BlockerClasses;
import dev.cairn.core.failure.ExecutionEndFailure;
import dev.cairn.core.integrity.ArtifactLayout;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.port.DeploymentLedger;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.pipeline.ArtifactEvidence;
import dev.cairn.core.pipeline.EvidenceRefused;
import dev.cairn.core.pipeline.ExecutionState;
import dev.cairn.core.pipeline.PipelineRequest;
import dev.cairn.core.pipeline.TransientError;
import dev.cairn.core.pipeline.port.ArtifactStore;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the release evidence record of one execution when it ends ({@code record_outcome}, {@code
 * record_failure}, {@code record_rollback}): into the write-once release bucket under {@code
 * {service}/{commit_sha}/cairn-evidence/release-evidence-{env}-{16 hex}.json}, then appends {@code
 * ReleaseEvidenceRecorded} with the key and the SHA-256 of the bytes, so the anchored chain vouches
 * for them.
 *
 * <p>It reads only what it can vouch for: the execution's own state (passed by the state machine,
 * written by no principal but the control plane's steps), the manifest whose bytes hash to the
 * digest that execution verified, and audit entries whose MACs verify, of this execution or of an
 * operator. Ledger fields CI or another principal could influence are not copied into the record.
 */
public final class ReleaseEvidenceRecorder {

  /** Bytes read from a manifest, at most (the verifier's own limit is smaller). */
  static final int MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

  /** The audit action with which an execution takes its environment: it reached it. */
  static final String LEASE_ACQUIRED = "LeaseAcquired";

  /** A lease entry's change of an environment's status: {@code environment_states.<env>.status}. */
  private static final String ENV_PREFIX = "environment_states.";

  private static final String STATUS_SUFFIX = ".status";

  private final DeploymentLedger ledger;
  private final AuditLog audit;
  private final ArtifactStore store;
  private final String releaseBucket;
  private final Clock clock;

  public ReleaseEvidenceRecorder(
      DeploymentLedger ledger,
      AuditLog audit,
      ArtifactStore store,
      String releaseBucket,
      Clock clock) {
    this.ledger = ledger;
    this.audit = audit;
    this.store = store;
    this.releaseBucket = releaseBucket;
    this.clock = clock;
  }

  /**
   * Records the execution's evidence. Idempotent: a retry builds the same bytes (the recording
   * entry is not part of them), finds the object written and the entry appended, and writes neither
   * again.
   *
   * @param outcome the execution's outcome ({@code promoted}, {@code deploy_failed}, ...)
   * @param failure where it stopped, or null on success
   * @return the record's key
   */
  public String record(
      PipelineRequest req, ExecutionState executionState, String outcome, GateFailure failure) {
    JsonNode state;
    try {
      state = Json.parse(executionState.json());
    } catch (IOException e) {
      throw new IllegalArgumentException("execution_state is not JSON: " + e.getMessage(), e);
    }
    ArtifactRecord r =
        ledger
            .find(req.key())
            .orElseThrow(() -> new IllegalStateException(req.key() + " is not recorded"));
    return write(
        req.key(),
        req.environment(),
        req.executionId(),
        req.actor(),
        outcome,
        state,
        failure,
        cited(r, req.key(), req.executionId()));
  }

  /**
   * Records the evidence of an execution that ended without any of its recording steps: stopped by
   * the watchdog or an operator, timed out, or failed before or inside its recording step. Built
   * from DynamoDB only (the ledger record, MAC-checked by the ledger, and the execution's and
   * operators' MAC-checked audit entries) and from how the execution ended ({@link EndedExecution}:
   * its status, error and cause, as its status-change event carries them). Step Functions'
   * execution history is never read: per the spec it serves neither audit nor state recovery. What
   * only the dead execution's own state knew (the verified manifest digest, the change sets it
   * created, the test build it started) is therefore absent, and the record's {@code unrecorded}
   * says so. The failure is {@link ExecutionEndFailure}'s code for the status.
   *
   * <p>Idempotent and write-once with the deployer's path: nothing is written for an execution that
   * recorded itself or whose record this writer already appended, nor for one that never acquired
   * its environment's lease (it reached no environment).
   *
   * @param actor the writer of the recording entry (the finalizer)
   * @return the record's key, or empty when there is nothing to record
   */
  public Optional<String> recordEnded(EndedExecution execution, Actor actor) {
    ExecutionEndFailure end = ExecutionEndFailure.ofStatus(execution.status());
    String service = identity(execution, "service", 0);
    String commit = identity(execution, "commit_sha", 1);
    if (end == null || service.isEmpty() || commit.isEmpty()) {
      return Optional.empty();
    }
    ArtifactKey key;
    try {
      key = new ArtifactKey(service, commit);
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // an input no registered artifact has
    }
    Optional<ArtifactRecord> r = ledger.find(key);
    if (r.isEmpty()) {
      return Optional.empty();
    }
    String arn = execution.executionArn();
    Cited cited = cited(r.get(), key, arn);
    boolean recorded =
        cited.recordings().stream()
            .anyMatch(
                e ->
                    arn.equals(e.path("actor").path("id").asText())
                        || arn.equals(e.path("details").path("execution_id").asText()));
    // Only an entry the execution itself appended proves it took the lease (the ledger's
    // execution_id may name a successor by now), and that entry, MAC-checked, names the
    // environment: not the trigger's input.
    Optional<String> leased =
        cited.entries().stream()
            .filter(
                e ->
                    LEASE_ACQUIRED.equals(e.path("action").asText())
                        && arn.equals(e.path("actor").path("id").asText()))
            .flatMap(
                e -> java.util.stream.StreamSupport.stream(e.path("changes").spliterator(), false))
            .map(c -> c.path("field").asText())
            .filter(f -> f.startsWith(ENV_PREFIX) && f.endsWith(STATUS_SUFFIX))
            .map(f -> f.substring(ENV_PREFIX.length(), f.length() - STATUS_SUFFIX.length()))
            .findFirst();
    if (recorded || leased.isEmpty()) {
      return Optional.empty();
    }
    String environment = leased.get();
    StringBuilder detail = new StringBuilder(end.message());
    if (execution.cause() != null && !execution.cause().isBlank()) {
      detail.append("; cause: ").append(execution.cause());
    }
    GateFailure failure =
        new GateFailure(
            "pipeline",
            "PIPELINE",
            end.name(),
            BlockerClasses.of(end),
            execution.error() == null ? "" : execution.error(),
            detail.toString());
    // No execution state: nothing DynamoDB holds vouches for what the steps had in hand.
    return Optional.of(write(key, environment, arn, actor, end.outcome(), null, failure, cited));
  }

  /**
   * The artifact the execution acted on, as its input names them (the input is the trigger's, and
   * only a matching ledger record and the execution's own lease entry make it count), an S3-started
   * execution's by its manifest key ({@code {service}/{commit_sha}/artifact-manifest.json}, segment
   * {@code part}).
   */
  private static String identity(EndedExecution execution, String field, int part) {
    JsonNode input = execution.input();
    if (input == null) {
      return "";
    }
    if (input.path(field).isTextual() && !input.path(field).asText().isEmpty()) {
      return input.path(field).asText();
    }
    return ArtifactLayout.serviceAndCommit(input.path("manifest_key").asText(null))
        .map(p -> p[part])
        .orElse("");
  }

  /** The audit entries a record may cite, and the recording entries already on the chain. */
  private record Cited(List<ObjectNode> entries, List<ObjectNode> recordings) {}

  /**
   * The artifact's audit entries, each read with its MAC checked: this execution's and the
   * operators' (cited), and the {@code ReleaseEvidenceRecorded} entries (not cited).
   */
  private Cited cited(ArtifactRecord r, ArtifactKey key, String executionId) {
    List<ObjectNode> entries = new ArrayList<>();
    List<ObjectNode> recordings = new ArrayList<>();
    for (String id : r.auditEventIds() == null ? List.<String>of() : r.auditEventIds()) {
      long sequence;
      try {
        sequence = Long.parseLong(id.substring(id.lastIndexOf(':') + 1));
      } catch (NumberFormatException notASequence) {
        continue; // names no entry of the chain: nothing to read, nothing to cite
      }
      Optional<ObjectNode> e = audit.entry(sequence);
      if (e.isEmpty()) {
        continue;
      }
      ObjectNode entry = e.get();
      if (!key.service().equals(entry.path("artifact").path("service").asText())
          || !key.commitSha().equals(entry.path("artifact").path("commit_sha").asText())) {
        continue;
      }
      if (ReleaseEvidence.RECORDED_ACTION.equals(entry.path("action").asText())) {
        recordings.add(entry);
        continue;
      }
      String actor = entry.path("actor").path("id").asText();
      String role = entry.path("actor").path("role").asText();
      if (actor.equals(executionId) || role.equals("operator")) {
        entries.add(entry);
      }
    }
    return new Cited(entries, recordings);
  }

  /** Builds, stores and records one record; a retry finds both done and writes neither again. */
  private String write(
      ArtifactKey artifact,
      String environment,
      String executionId,
      Actor actor,
      String outcome,
      JsonNode executionState,
      GateFailure failure,
      Cited cited) {
    JsonNode state =
        executionState != null && executionState.isObject() ? executionState : Json.object();
    ObjectNode manifest = verifiedManifest(artifact, state);
    ObjectNode record =
        ReleaseEvidence.build(
            new ReleaseEvidence.Inputs(
                artifact,
                environment,
                executionId,
                outcome,
                recordedAt(cited.entries()),
                state,
                manifest,
                cited.entries(),
                failure));
    byte[] bytes = ReleaseEvidence.bytes(record);
    String key;
    try {
      key =
          store.putEvidence(
              releaseBucket,
              artifact.service(),
              artifact.commitSha(),
              ReleaseEvidence.fileName(environment, bytes),
              bytes);
    } catch (IOException e) {
      throw new TransientError("writing the release evidence failed: " + e.getMessage(), e);
    }
    for (ObjectNode done : cited.recordings()) {
      if (key.equals(done.path("details").path("evidence_key").asText())) {
        return key;
      }
    }
    Map<String, String> details = new LinkedHashMap<>();
    details.put("evidence_key", key);
    details.put("evidence_sha256", Sha256.hex(bytes));
    details.put("environment", environment);
    details.put("outcome", outcome);
    // The execution the record is about: the finalizer writes as itself, not as the execution.
    details.put("execution_id", executionId);
    if (failure != null) {
      details.put("failure_code", failure.code());
      details.put("blocker_class", failure.blockerClass().name());
    }
    ledger.annotate(artifact, actor, ReleaseEvidence.RECORDED_ACTION, b -> {}, details);
    return key;
  }

  /**
   * The time of the last entry the record cites, so a retry builds the same bytes; the clock only
   * when there is none.
   */
  private java.time.Instant recordedAt(List<ObjectNode> entries) {
    if (entries.isEmpty()) {
      return clock.instant();
    }
    return java.time.Instant.parse(entries.get(entries.size() - 1).path("timestamp").asText());
  }

  /**
   * The manifest whose bytes hash to the execution's verified {@code manifest_sha256} (and, in a
   * versioned bucket, at the version it verified), or null: a manifest that cannot be vouched for
   * is left out, never substituted.
   */
  private ObjectNode verifiedManifest(ArtifactKey artifact, JsonNode state) {
    JsonNode ev = state.path("verification").path("evidence");
    if (!ev.isObject()) {
      return null;
    }
    ArtifactEvidence evidence;
    try {
      evidence = ArtifactEvidence.from(ev);
    } catch (EvidenceRefused e) {
      return null;
    }
    try {
      Optional<ArtifactStore.StoredObject> stored =
          store.readManifestObject(
              evidence.bucket(), artifact.service(), artifact.commitSha(), MAX_MANIFEST_BYTES);
      if (stored.isEmpty()
          || !Sha256.hex(stored.get().bytes()).equals(evidence.manifestSha256())
          || (evidence.pinned()
              && !evidence.manifestVersionId().equals(stored.get().versionId()))) {
        return null;
      }
      JsonNode parsed = Json.parse(stored.get().bytes());
      return parsed instanceof ObjectNode o ? o : null;
    } catch (IOException e) {
      throw new TransientError("reading the verified manifest failed: " + e.getMessage(), e);
    }
  }
}
