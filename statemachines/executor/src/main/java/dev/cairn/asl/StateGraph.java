package dev.cairn.asl;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A parsed state machine, or a Parallel branch or Map processor inside one: where it starts and its
 * states by name, in definition order. {@code timeoutSeconds} is 0 when there is none.
 */
record StateGraph(String startAt, Map<String, State> states, long timeoutSeconds) {
  StateGraph {
    states = Collections.unmodifiableMap(new LinkedHashMap<>(states));
  }

  State state(String name) {
    State s = states.get(name);
    if (s == null) {
      throw new AslDefinitionException("no state named '" + name + "'");
    }
    return s;
  }
}
