package dev.cairn.core.evidence;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.failure.BlockerClass;
import dev.cairn.core.failure.BlockerClasses;
import dev.cairn.core.failure.FailureCode;
import dev.cairn.core.json.Json;
import dev.cairn.core.pipeline.CaughtError;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a release stopped: the pipeline phase, the gate, the stable code and its blocker class.
 *
 * @param phase the pipeline phase that recorded the failure ({@code verify}, {@code deploy}, {@code
 *     tests}, {@code bake}, {@code post_deploy_watch}, {@code drift}, {@code rollback}, {@code
 *     pipeline})
 * @param gate the verifier's gate for a verification failure, else the phase's gate in upper case
 * @param code a catalogue code when the error carries one, else the error's simple name
 * @param blockerClass see {@link BlockerClass}
 * @param error the Step Functions error name as caught
 * @param detail the cause, at most 1000 characters
 */
public record GateFailure(
    String phase,
    String gate,
    String code,
    BlockerClass blockerClass,
    String error,
    String detail) {

  private static final Pattern CODE = Pattern.compile("\\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\\b");

  public GateFailure {
    if (phase == null || gate == null || code == null || blockerClass == null) {
      throw new IllegalArgumentException("phase, gate, code and blocker class are required");
    }
    detail = detail == null ? "" : detail.length() > 1000 ? detail.substring(0, 1000) : detail;
    error = error == null ? "" : error;
  }

  /**
   * Classifies a caught error. Rejections and refusals carry their code in the cause ({@code
   * "<GATE>: <CODE>: detail"}, {@code "<CODE>: detail"}); the first catalogue code found there
   * wins. An error without one is classified by its phase.
   */
  public static GateFailure classify(String phase, String errorName, String cause) {
    String p = phase == null || phase.isBlank() ? "pipeline" : phase;
    Optional<String> code = findCode(cause);
    if (code.isPresent()) {
      String c = code.get();
      String gate = gateOf(c).orElse(p.toUpperCase(java.util.Locale.ROOT));
      return new GateFailure(p, gate, c, BlockerClasses.byCode(c).orElseThrow(), errorName, cause);
    }
    String simple = simpleName(errorName);
    BlockerClass cls =
        BlockerClasses.ofPhase(p)
            .orElse(
                p.equals("verify")
                    // The verifier could not vouch for the artifact (no gate named a code).
                    ? BlockerClass.PROVENANCE
                    : BlockerClass.DEPLOY);
    return new GateFailure(p, p.toUpperCase(java.util.Locale.ROOT), simple, cls, errorName, cause);
  }

  static Optional<String> findCode(String cause) {
    if (cause == null) {
      return Optional.empty();
    }
    Matcher m = CODE.matcher(cause);
    while (m.find()) {
      if (BlockerClasses.byCode(m.group()).isPresent()) {
        return Optional.of(m.group());
      }
    }
    return Optional.empty();
  }

  private static Optional<String> gateOf(String code) {
    for (FailureCode f : FailureCode.values()) {
      if (f.name().equals(code)) {
        return Optional.of(f.gate().name());
      }
    }
    return Optional.empty();
  }

  private static String simpleName(String errorName) {
    if (errorName == null || errorName.isBlank()) {
      return "UnknownError";
    }
    int dot = errorName.lastIndexOf('.');
    String s =
        dot >= 0 && !errorName.startsWith("States.") ? errorName.substring(dot + 1) : errorName;
    return s.isBlank() ? "UnknownError" : s;
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    o.put("phase", phase);
    o.put("gate", gate);
    o.put("code", code);
    o.put("blocker_class", blockerClass.name());
    o.put("error", error);
    o.put("detail", detail);
    return o;
  }

  /** Reads the {@code error} object Step Functions' Catch puts in the state. */
  public static GateFailure fromCaught(String phase, CaughtError error) {
    return classify(phase, error.error(), error.cause());
  }
}
