package dev.cairn.core.verify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.failure.Failure;
import dev.cairn.core.failure.Gate;
import dev.cairn.core.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The machine-readable verdict (schema {@code schema/verification-report.v1.json}): which gates ran
 * and in what order, every failure with its gate and stable code, and the digests computed. It is
 * release evidence: the pipeline stores it beside the artifact.
 */
public record VerificationReport(
    Verdict verdict,
    Instant verifiedAt,
    String source,
    String service,
    String commit,
    List<GateResult> gates,
    List<Failure> failures,
    Map<String, Object> digests,
    Signer signer) {

  public static final String SCHEMA_VERSION = "1";

  public VerificationReport {
    gates = List.copyOf(gates);
    failures = List.copyOf(failures);
    digests = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(digests));
  }

  /** accepted or rejected. */
  public enum Verdict {
    ACCEPTED,
    REJECTED
  }

  /** What happened at one gate. */
  public enum GateStatus {
    PASSED,
    FAILED,
    NOT_EVALUATED
  }

  /** A gate's outcome and a short note on what was checked. */
  public record GateResult(Gate gate, GateStatus status, String note) {}

  /** The signer the signature was checked against (null until the signature gate ran). */
  public record Signer(String identity, String algorithm, String keyFingerprint) {}

  public boolean accepted() {
    return verdict == Verdict.ACCEPTED;
  }

  /** The first failure: what a rejection is reported as. */
  public Failure firstFailure() {
    return failures.isEmpty() ? null : failures.get(0);
  }

  /**
   * This accepted report, rejected at its last gate ({@link Gate#ASSET_INTEGRITY}) by checks made
   * after the artifact itself verified: the assets at their destinations in the target environment.
   */
  public VerificationReport rejectedAtDestinations(List<Failure> destinationFailures) {
    if (destinationFailures.isEmpty()) {
      return this;
    }
    List<GateResult> g = new java.util.ArrayList<>();
    for (GateResult r : gates) {
      g.add(
          r.gate() == Gate.ASSET_INTEGRITY
              ? new GateResult(
                  Gate.ASSET_INTEGRITY,
                  GateStatus.FAILED,
                  destinationFailures.size() + " failure(s) at the destinations")
              : r);
    }
    return new VerificationReport(
        Verdict.REJECTED,
        verifiedAt,
        source,
        service,
        commit,
        g,
        destinationFailures,
        digests,
        signer);
  }

  /**
   * A digest's value as a node: the verifier records strings and counts, and writes them without
   * the mapper (building one is a tenth of a second of a fresh CLI's start); anything else goes
   * through it.
   */
  private static com.fasterxml.jackson.databind.JsonNode digestValue(Object v) {
    var nodes = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
    if (v instanceof String s) {
      return nodes.textNode(s);
    }
    if (v instanceof Integer i) {
      return nodes.numberNode(i);
    }
    if (v instanceof Long l) {
      return nodes.numberNode(l);
    }
    return Json.mapper().valueToTree(v);
  }

  /** The report as JSON, per {@code verification-report.v1.json}. */
  public ObjectNode toJson() {
    ObjectNode root = Json.object();
    root.put("schema_version", SCHEMA_VERSION);
    root.put("verdict", verdict.name().toLowerCase(java.util.Locale.ROOT));
    root.put("verified_at", verifiedAt.toString());
    root.put("source", source);
    if (service != null) {
      root.put("service", service);
    } else {
      root.putNull("service");
    }
    if (commit != null) {
      root.put("commit", commit);
    } else {
      root.putNull("commit");
    }
    ArrayNode g = root.putArray("gates");
    for (GateResult r : gates) {
      ObjectNode o = g.addObject();
      o.put("gate", r.gate().name());
      o.put("status", r.status().name().toLowerCase(java.util.Locale.ROOT));
      if (r.note() != null) {
        o.put("note", r.note());
      }
    }
    ArrayNode f = root.putArray("failures");
    for (Failure failure : failures) {
      ObjectNode o = f.addObject();
      o.put("gate", failure.gate().name());
      o.put("code", failure.code().name());
      o.put("detail", failure.detail());
      if (failure.path() != null) {
        o.put("path", failure.path());
      }
    }
    ObjectNode d = root.putObject("digests");
    digests.forEach((k, v) -> d.set(k, digestValue(v)));
    if (signer != null) {
      root.putObject("signer")
          .put("identity", signer.identity())
          .put("algorithm", signer.algorithm())
          .put("key_fingerprint", signer.keyFingerprint());
    } else {
      root.putNull("signer");
    }
    return root;
  }
}
