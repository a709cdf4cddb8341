package dev.cairn.sandbox.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks the calls a sandbox run recorded against the synthesized policies ({@link IamPolicies}),
 * together with negative controls, calls that must be denied, so a check that allows everything
 * cannot pass. Identical calls are evaluated once; calls and controls go to the evaluator in one
 * batch.
 */
public final class IamCheck {

  /** Where the default negative controls are written down. */
  public static final String NEGATIVE_CONTROLS = "dev/cairn/sandbox/iam/negative-controls.json";

  private final IamPolicies policies;
  private final IamEvaluator evaluator;

  public IamCheck(IamPolicies policies, IamEvaluator evaluator) {
    this.policies = Objects.requireNonNull(policies, "policies");
    this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
  }

  /** One call the evaluator decided against what was expected, and the statement that decided. */
  public record Denial(String principal, String action, String resource, String statement) {
    static Denial of(IamDecision d) {
      IamRequest r = d.request();
      String statement =
          d.ignoredContextKeys().isEmpty()
              ? d.statement()
              : d.statement() + " (context keys ignored: " + d.ignoredContextKeys() + ")";
      return new Denial(r.principalArn(), r.action(), r.resourceArn(), statement);
    }
  }

  /** A call that must be denied, and why. */
  public record NegativeControl(String description, RecordedCall call) {
    public NegativeControl {
      if (description == null || description.isBlank()) {
        throw new IllegalArgumentException("description is required");
      }
      Objects.requireNonNull(call, "call");
    }

    /** The written list, {@value IamCheck#NEGATIVE_CONTROLS}. */
    public static List<NegativeControl> loadDefaults() {
      try (InputStream in =
          IamCheck.class.getClassLoader().getResourceAsStream(NEGATIVE_CONTROLS)) {
        if (in == null) {
          throw new IllegalStateException("missing from the classpath: " + NEGATIVE_CONTROLS);
        }
        return parse(new ObjectMapper().readTree(in));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + NEGATIVE_CONTROLS, e);
      }
    }

    static List<NegativeControl> parse(JsonNode document) {
      List<NegativeControl> out = new ArrayList<>();
      for (JsonNode c : document.path("controls")) {
        Map<String, String> context = new LinkedHashMap<>();
        c.path("context")
            .fields()
            .forEachRemaining(e -> context.put(e.getKey(), e.getValue().asText()));
        out.add(
            new NegativeControl(
                c.path("description").asText(),
                new RecordedCall(
                    c.path("principal").asText(),
                    c.path("action").asText(),
                    c.path("resource").asText(),
                    context)));
      }
      if (out.isEmpty()) {
        throw new IllegalStateException(NEGATIVE_CONTROLS + " lists no controls");
      }
      return List.copyOf(out);
    }
  }

  /**
   * @param callsChecked distinct calls evaluated
   * @param denied recorded calls the policies deny: Cairn made a call it may not make
   * @param negativeChecked negative controls evaluated
   * @param allowedByMistake negative controls the policies allow: a grant too wide
   */
  public record Result(
      int callsChecked, List<Denial> denied, int negativeChecked, List<Denial> allowedByMistake) {
    public Result {
      denied = List.copyOf(denied);
      allowedByMistake = List.copyOf(allowedByMistake);
    }

    public boolean passed() {
      return denied.isEmpty() && allowedByMistake.isEmpty();
    }
  }

  /**
   * Evaluates the distinct {@code calls} and every control in one evaluator run.
   *
   * @throws IllegalArgumentException a caller is not a role of the assembly
   * @throws IllegalStateException a caller's grants are not all in the assembly
   * @throws IamEvaluationException the evaluator failed or rejected a request
   */
  public Result check(List<RecordedCall> calls, List<NegativeControl> controls) {
    List<RecordedCall> distinct = List.copyOf(new LinkedHashSet<>(calls));
    List<IamRequest> batch = new ArrayList<>(distinct.size() + controls.size());
    distinct.forEach(c -> batch.add(policies.request(c)));
    controls.forEach(c -> batch.add(policies.request(c.call())));
    List<IamDecision> decisions = evaluator.evaluate(batch);
    List<Denial> denied = new ArrayList<>();
    List<Denial> allowedByMistake = new ArrayList<>();
    for (int i = 0; i < decisions.size(); i++) {
      IamDecision d = decisions.get(i);
      if (i < distinct.size() && !d.allowed()) {
        denied.add(Denial.of(d));
      } else if (i >= distinct.size() && d.allowed()) {
        allowedByMistake.add(Denial.of(d));
      }
    }
    return new Result(distinct.size(), denied, controls.size(), allowedByMistake);
  }
}
