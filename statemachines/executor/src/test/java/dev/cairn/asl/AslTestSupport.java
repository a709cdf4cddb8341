package dev.cairn.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Random;

/** Small helpers for conformance tests: JSON with single quotes, a fixed start instant. */
final class AslTestSupport {
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private AslTestSupport() {}

  /** Parses JSON written with single quotes for readability. */
  static JsonNode json(String singleQuoted) {
    return Asl.parse(singleQuoted.replace('\'', '"'));
  }

  static StateMachine machine(String singleQuoted) {
    return new StateMachine("Test", json(singleQuoted));
  }

  static ExecutionResult run(String definition, String input) {
    return run(definition, input, new TaskHandlers(), new VirtualClock(START));
  }

  static ExecutionResult run(String definition, String input, TaskHandlers handlers) {
    return run(definition, input, handlers, new VirtualClock(START));
  }

  static ExecutionResult run(
      String definition, String input, TaskHandlers handlers, VirtualClock clock) {
    return AslExecutor.builder()
        .handlers(handlers)
        .random(new Random(42))
        .build()
        .execute(machine(definition), json(input), "exec-1", clock);
  }
}
