package dev.cairn.core.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.json.CanonicalJson;
import dev.cairn.core.json.Json;
import dev.cairn.core.lifecycle.ArtifactKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The release evidence record ({@code schema/release-evidence.v1.json}) of one artifact in one
 * environment, as one execution left it. Built only from what the writer can vouch for: the
 * execution's own state (what its steps verified, deployed and tested), the manifest bytes whose
 * digest that execution verified, and MAC-authenticated audit entries. Never from ledger fields.
 */
public final class ReleaseEvidence {

  /** The audit action that records a record's key and digest in the chain. */
  public static final String RECORDED_ACTION = "ReleaseEvidenceRecorded";

  /** File name prefix under the artifact's {@code cairn-evidence/} folder. */
  public static final String FILE_PREFIX = "release-evidence-";

  /** Fields of the build the signed manifest (artifact-manifest.v1) does not carry yet. */
  static final Map<String, String> NOT_IN_MANIFEST =
      Map.of(
          "ci_run_id",
          "artifact-manifest.v1 has no CI run id; the signed manifest is the only build record"
              + " Cairn can vouch for",
          "workflow_ref",
          "artifact-manifest.v1 has no workflow ref (source_ref is the git ref built)",
          "context_object",
          "artifact-manifest.v1 carries the blessed context's hash only, not its S3 object key",
          "context_version",
          "artifact-manifest.v1 carries the blessed context's hash only, not its S3 version");

  /**
   * What the writer read.
   *
   * @param state the execution's state at its terminal recording step ({@code $})
   * @param manifest the manifest whose SHA-256 equals the execution's verified {@code
   *     manifest_sha256}, or null when the execution never verified one
   * @param entries this execution's audit entries and the operators' entries for the artifact, each
   *     read with its MAC checked, in sequence order
   * @param failure where the execution stopped, or null
   */
  public record Inputs(
      ArtifactKey key,
      String environment,
      String executionId,
      String outcome,
      Instant recordedAt,
      JsonNode state,
      ObjectNode manifest,
      List<ObjectNode> entries,
      GateFailure failure) {

    public Inputs {
      entries = List.copyOf(entries);
    }
  }

  private ReleaseEvidence() {}

  /** The record's file name: environment and the first 16 hex of its SHA-256 (write-once key). */
  public static String fileName(String environment, byte[] recordBytes) {
    return FILE_PREFIX + environment + "-" + Sha256.hex(recordBytes).substring(0, 16) + ".json";
  }

  /** The bytes stored: RFC 8785 canonical JSON, so the digest does not depend on a serializer. */
  public static byte[] bytes(ObjectNode record) {
    return CanonicalJson.canonicalize(record);
  }

  public static ObjectNode build(Inputs in) {
    JsonNode state = in.state() == null ? Json.object() : in.state();
    ObjectNode m = in.manifest();
    ObjectNode r = Json.object();
    r.put("evidence_version", 1);
    r.put("service", in.key().service());
    r.put("commit_sha", in.key().commitSha());
    r.put("environment", in.environment());
    r.put("execution_id", in.executionId());
    r.put("outcome", in.outcome());
    r.put("recorded_at", in.recordedAt().toString());
    ObjectNode unrecorded = Json.object();

    ObjectNode commit = r.putObject("commit");
    commit.put("sha", in.key().commitSha());
    if (m == null) {
      commit.putNull("source_ref");
      commit.putNull("git_signature_verified");
      commit.putNull("git_signature");
      unrecorded.put("commit", "no manifest verified: " + reasonNoManifest(in));
    } else {
      commit.put("source_ref", m.path("source_ref").asText());
      commit.put("git_signature_verified", m.path("git_signature_verified").asBoolean(false));
      JsonNode sig = m.get("git_signature");
      if (sig == null || !sig.isObject()) {
        commit.set("git_signature", Json.object().put("method", "asserted"));
      } else {
        commit.set("git_signature", sig.deepCopy());
      }
    }
    copyTextOrNull(commit, "commit_time", m, "commit_time");

    ObjectNode build = r.putObject("build");
    build.putNull("ci_run_id");
    build.putNull("workflow_ref");
    unrecorded.put("build.ci_run_id", NOT_IN_MANIFEST.get("ci_run_id"));
    unrecorded.put("build.workflow_ref", NOT_IN_MANIFEST.get("workflow_ref"));
    copyTextOrNull(build, "cdk_cli_version", m, "cdk_cli_version");
    ObjectNode libraries = build.putObject("cdk_library_versions");
    if (m != null && m.path("cdk_library_versions").isObject()) {
      new TreeMap<>(Json.mapper().convertValue(m.get("cdk_library_versions"), Map.class))
          .forEach((k, v) -> libraries.put(String.valueOf(k), String.valueOf(v)));
    }
    copyTextOrNull(build, "build_time", m, "build_time");
    if (m != null && m.path("build_duration_seconds").isNumber()) {
      build.set("build_duration_seconds", m.get("build_duration_seconds"));
    } else {
      build.putNull("build_duration_seconds");
    }
    ObjectNode context = build.putObject("context");
    copyTextOrNull(context, "hash", m, "cdk_context_hash");
    context.putNull("object");
    context.putNull("version");
    unrecorded.put("build.context.object", NOT_IN_MANIFEST.get("context_object"));
    unrecorded.put("build.context.version", NOT_IN_MANIFEST.get("context_version"));

    JsonNode verification = state.path("verification");
    JsonNode ev = verification.path("evidence");
    if (m == null || !ev.isObject()) {
      r.putNull("artifact");
      unrecorded.put("artifact", "no manifest verified: " + reasonNoManifest(in));
    } else {
      ObjectNode a = r.putObject("artifact");
      a.put("bucket", ev.path("bucket").asText());
      a.put("manifest_sha256", ev.path("manifest_sha256").asText());
      a.set("manifest_version_id", textOrNull(ev.path("manifest_version_id")));
      a.put("artifact_sha256", ev.path("artifact_sha256").asText());
      a.put("signing_identity", m.path("signing_identity").asText());
    }

    ObjectNode ver = r.putObject("verification");
    if (endedUnrecorded(in)) {
      // Not false: the execution reached its lease, which comes after verification, but no
      // DynamoDB record says what it verified; null with the reason, not a guess either way.
      ver.putNull("passed");
      unrecorded.put("verification.passed", NOT_RECORDED_BEFORE_END);
    } else {
      ver.put("passed", verification.isObject() && ev.isObject());
    }
    ver.set("report_key", textOrNull(verification.path("report_key")));
    ver.set(
        "asset_verification_passed", boolOrNull(verification.path("asset_verification_passed")));

    JsonNode deploy = state.path("deploy");
    if (!deploy.isObject()) {
      r.putNull("deploy");
      if (endedUnrecorded(in)) {
        unrecorded.put("deploy", NOT_RECORDED_BEFORE_END);
      }
    } else {
      ObjectNode d = r.putObject("deploy");
      d.put("deployment_id", deploy.path("deployment_id").asText());
      ArrayNode sets = d.putArray("change_sets");
      for (JsonNode cs : deploy.path("change_sets")) {
        sets.addObject()
            .put("stack_name", cs.path("stack_name").asText())
            .put("change_set_name", cs.path("change_set_name").asText());
      }
      ArrayNode stacks = d.putArray("stacks");
      JsonNode executed = state.path("execution").path("stacks");
      if (executed.isArray()) {
        executed.forEach(s -> stacks.add(s.asText()));
      }
      // Template versions by content: each template's SHA-256 as the verified manifest signs it.
      ObjectNode templates = d.putObject("templates");
      if (m != null && m.path("file_hashes").isObject()) {
        new TreeMap<>(Json.mapper().convertValue(m.get("file_hashes"), Map.class))
            .forEach(
                (path, hash) -> {
                  if (String.valueOf(path).endsWith(".template.json")) {
                    templates.put(String.valueOf(path), String.valueOf(hash));
                  }
                });
      }
    }

    JsonNode tests = state.path("tests");
    if (!tests.isObject()) {
      r.putNull("tests");
      if (endedUnrecorded(in)) {
        unrecorded.put("tests", NOT_RECORDED_BEFORE_END);
      }
    } else {
      r.putObject("tests")
          .put("build_id", tests.path("build_id").asText())
          .put("status", tests.path("build_status").asText());
    }

    ObjectNode bake = r.putObject("bake");
    ArrayNode watched = bake.putArray("alarms_watched");
    state.path("lease").path("policy").path("alarm_names").forEach(a -> watched.add(a.asText()));
    ArrayNode windows = bake.putArray("windows");
    ArrayNode approvals = r.putArray("approvals");
    ArrayNode overrides = r.putArray("overrides");
    ArrayNode audit = r.putArray("audit_entries");
    for (ObjectNode e : in.entries()) {
      long seq = e.path("sequence").asLong();
      String action = e.path("action").asText();
      JsonNode details = e.path("details");
      audit
          .addObject()
          .put("sequence", seq)
          .put("log_hash", e.path("log_hash").asText())
          .put("action", action);
      if (action.startsWith("AlarmWindow")) {
        windows
            .addObject()
            .put("phase", details.path("phase").asText())
            .put("state", details.path("state").asText())
            .put("since", details.path("since").asText())
            .put("until", details.path("until").asText())
            .put("alarms_in_alarm", details.path("alarms_in_alarm").asText())
            .put("alarm_transitions", details.path("alarm_transitions").asText())
            .put("audit_sequence", seq);
      }
      if ("operator".equals(e.path("actor").path("role").asText())) {
        String overrideAction = details.path("override_action").asText("");
        ObjectNode o =
            Json.object()
                .put("action", action)
                .put("key_id", e.path("actor").path("id").asText())
                .put("audit_sequence", seq);
        if (!overrideAction.isEmpty()) {
          o.put("override_action", overrideAction);
        }
        if ("approve".equals(overrideAction)) {
          approvals.add(o);
        } else {
          overrides.add(o);
        }
      }
    }
    if (in.failure() == null) {
      r.putNull("failure");
    } else {
      r.set("failure", in.failure().toJson());
    }
    r.set("unrecorded", unrecorded);
    return r;
  }

  /**
   * Why a field of a finalizer-written record is null: the dead execution's own state (the digest
   * it verified, the change sets it created, the test build it started) is not in DynamoDB, and
   * Step Functions' execution history is not used for audit.
   */
  static final String NOT_RECORDED_BEFORE_END =
      "not recorded before the execution ended (the ledger and the audit chain do not hold it;"
          + " Step Functions' execution history is not used for audit)";

  /** A record the finalizer writes for an execution that ended before its recording step. */
  private static boolean endedUnrecorded(Inputs in) {
    return in.failure() != null
        && in.failure().phase().equals("pipeline")
        && (in.state() == null || in.state().isEmpty());
  }

  private static String reasonNoManifest(Inputs in) {
    if (in.failure() != null && in.failure().phase().equals("verify")) {
      return "the execution stopped at verification (" + in.failure().code() + ")";
    }
    return endedUnrecorded(in)
        ? NOT_RECORDED_BEFORE_END
        : "the execution carries no verified evidence";
  }

  private static void copyTextOrNull(ObjectNode to, String field, ObjectNode from, String name) {
    JsonNode v = from == null ? null : from.get(name);
    if (v == null || !v.isTextual()) {
      to.putNull(field);
    } else {
      to.put(field, v.asText());
    }
  }

  private static JsonNode textOrNull(JsonNode n) {
    return n.isTextual() ? n : Json.mapper().nullNode();
  }

  private static JsonNode boolOrNull(JsonNode n) {
    return n.isBoolean() ? n : Json.mapper().nullNode();
  }
}
