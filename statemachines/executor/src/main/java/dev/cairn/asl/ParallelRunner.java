package dev.cairn.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One attempt at a Parallel state (spec "Parallel State"). Branches run one after another, each on
 * its own fork of the clock; the state ends at the latest branch end, so elapsed virtual time
 * matches concurrent execution. The first failing branch fails the state.
 */
final class ParallelRunner {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final Execution execution;
  private final DataFlow data;

  ParallelRunner(Execution execution, DataFlow data) {
    this.execution = execution;
    this.data = data;
  }

  JsonNode run(State.Parallel parallel, Frame f) {
    VirtualClock c = f.clock();
    JsonNode effective = data.effectiveInput(f);
    execution.event(c, "ParallelStateStarted", F.objectNode());
    ArrayNode results = F.arrayNode();
    Instant latest = c.instant();
    for (StateGraph branch : parallel.branches()) {
      VirtualClock bc = c.fork();
      try {
        results.add(execution.runGraph(branch, effective, bc, null));
      } catch (AslError e) {
        c.set(later(latest, bc.instant()));
        ObjectNode d = F.objectNode();
        d.put("error", e.error());
        if (e.errorCause() != null) {
          d.put("cause", e.errorCause());
        }
        execution.event(c, "ParallelStateFailed", d);
        throw e;
      }
      latest = later(latest, bc.instant());
    }
    c.set(latest);
    execution.event(c, "ParallelStateSucceeded", F.objectNode());
    return data.afterResult(f, results);
  }

  static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
