package dev.cairn.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The states that do no work of their own: Pass, Choice, Wait, Succeed and Fail (spec "Pass State"
 * to "Fail State"). None of them takes Retry or Catch.
 */
final class FlowStates {
  private final Execution execution;
  private final DataFlow data;

  FlowStates(Execution execution, DataFlow data) {
    this.execution = execution;
    this.data = data;
  }

  Execution.Step run(State state, Frame f) {
    if (state instanceof State.Pass p) {
      return pass(p, f);
    }
    if (state instanceof State.Choice c) {
      return choice(c, f);
    }
    if (state instanceof State.Wait w) {
      return waitState(w, f);
    }
    if (state instanceof State.Fail fail) {
      throw fail(fail, f);
    }
    JsonNode effective = data.select(state.io().inputPath(), f.input(), f);
    return new Execution.Step(data.select(state.io().outputPath(), effective, f), null);
  }

  private Execution.Step pass(State.Pass p, Frame f) {
    JsonNode effective = data.effectiveInput(f);
    JsonNode result = data.apply(p.result(), effective, f.context(), f);
    JsonNode out = DataFlow.place(p.io().resultPath(), f.input(), result);
    return new Execution.Step(data.select(p.io().outputPath(), out, f), p.next());
  }

  private Execution.Step choice(State.Choice c, Frame f) {
    JsonNode effective = data.select(c.io().inputPath(), f.input(), f);
    String target = c.defaultNext();
    for (ChoiceRule.Branch branch : c.choices()) {
      boolean match;
      try {
        match = ChoiceRules.matches(branch.rule(), effective, f.context());
      } catch (AslError e) {
        throw new AslError(e.error(), f.prefix() + e.errorCause());
      }
      if (match) {
        target = branch.next();
        break;
      }
    }
    if (target == null) {
      throw new AslError(
          Asl.NO_CHOICE_MATCHED,
          f.prefix() + "No Choice Rule matched and no Default was specified.");
    }
    return new Execution.Step(data.select(c.io().outputPath(), effective, f), target);
  }

  private Execution.Step waitState(State.Wait w, Frame f) {
    JsonNode effective = data.select(w.io().inputPath(), f.input(), f);
    VirtualClock c = f.clock();
    Instant until = until(w.until(), effective, f);
    if (until.isAfter(c.instant())) {
      execution.sleep(c, Duration.between(c.instant(), until));
    }
    return new Execution.Step(data.select(w.io().outputPath(), effective, f), w.next());
  }

  private Instant until(WaitUntil until, JsonNode effective, Frame f) {
    Instant now = f.clock().instant();
    if (until instanceof WaitUntil.Seconds s) {
      return now.plusSeconds(s.seconds());
    }
    if (until instanceof WaitUntil.Timestamp t) {
      return t.instant();
    }
    if (until instanceof WaitUntil.SecondsPath sp) {
      JsonNode v = data.read(sp.path(), effective, f);
      if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
        throw f.runtime(
            "The SecondsPath parameter does not reference a valid integer value: " + Asl.write(v));
      }
      return now.plusSeconds(v.asLong());
    }
    JsonNode v = data.read(((WaitUntil.TimestampPath) until).path(), effective, f);
    return (v.isTextual() ? Asl.parseTimestamp(v.asText()) : Optional.<Instant>empty())
        .orElseThrow(
            () ->
                f.runtime(
                    "The TimestampPath parameter does not reference a valid ISO-8601"
                        + " extended offset date-time format string: "
                        + Asl.write(v)));
  }

  /** Spec "Fail State": the error and cause, each fixed or read from the raw input. */
  private AslError fail(State.Fail fail, Frame f) {
    return new AslError(text(fail.error(), f), text(fail.cause(), f));
  }

  private String text(FieldValue value, Frame f) {
    if (value instanceof FieldValue.FromPath p) {
      return data.string(p.path(), f.input(), f);
    }
    return value instanceof FieldValue.Fixed fixed ? fixed.value().asText(null) : null;
  }
}
