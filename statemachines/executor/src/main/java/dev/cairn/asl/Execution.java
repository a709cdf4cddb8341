package dev.cairn.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One execution of a {@link StateMachine}: its history, its deadline, and the loop that moves from
 * state to state. Each state type is run by its own piece ({@link FlowStates}, {@link
 * RetryAndCatch} around {@link TaskRunner}, {@link ParallelRunner} and {@link MapRunner}); this
 * class records the events around them.
 */
final class Execution {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final StateMachine machine;
  private final JsonNode input;
  private final VirtualClock clock;
  private final ExecutionListener listener;
  private final List<HistoryEvent> history = new ArrayList<>();
  private final Instant deadline;
  private final ObjectNode baseContext;
  private final FlowStates flow;
  private final RetryAndCatch retryAndCatch;

  Execution(
      StateMachine machine,
      JsonNode input,
      AslExecutor.Identity identity,
      VirtualClock clock,
      AslExecutor.Settings settings) {
    this.machine = machine;
    this.input = input;
    this.clock = clock;
    this.listener = settings.listener();
    long timeout = machine.timeoutSeconds();
    this.deadline = timeout > 0 ? clock.instant().plusSeconds(timeout) : Instant.MAX;
    this.baseContext = baseContext(machine, input, identity, clock);
    DataFlow data = new DataFlow(new Intrinsics(settings.random()));
    this.flow = new FlowStates(this, data);
    this.retryAndCatch =
        new RetryAndCatch(
            this,
            settings.random(),
            new TaskRunner(this, data, settings.handlers(), settings.mocks()),
            new ParallelRunner(this, data),
            new MapRunner(this, data));
  }

  private static ObjectNode baseContext(
      StateMachine machine, JsonNode input, AslExecutor.Identity identity, VirtualClock clock) {
    ObjectNode ctx = F.objectNode();
    ObjectNode execution = ctx.putObject("Execution");
    execution.put("Id", identity.executionArn());
    execution.set("Input", input.deepCopy());
    execution.put("Name", identity.name());
    execution.put("RoleArn", identity.roleArn());
    execution.put("StartTime", Asl.formatTimestamp(clock.instant()));
    ObjectNode sm = ctx.putObject("StateMachine");
    sm.put("Id", identity.stateMachineArn());
    sm.put("Name", machine.name());
    return ctx;
  }

  /** Runs the execution to its end and returns how it ended, with its history. */
  ExecutionResult run() {
    ObjectNode started = F.objectNode();
    started.put("input", Asl.write(input));
    started.put("roleArn", baseContext.path("Execution").path("RoleArn").asText());
    event(clock, "ExecutionStarted", started);
    try {
      JsonNode output = runGraph(machine.graph(), input, clock, null);
      ObjectNode d = F.objectNode();
      d.put("output", Asl.write(output));
      event(clock, "ExecutionSucceeded", d);
      return new ExecutionResult(ExecutionStatus.SUCCEEDED, output, null, null, history);
    } catch (AslError e) {
      event(clock, "ExecutionFailed", errorDetails(F.objectNode(), e));
      return new ExecutionResult(ExecutionStatus.FAILED, null, e.error(), e.errorCause(), history);
    } catch (ExecutionTimedOut e) {
      clock.set(deadline);
      ObjectNode d = F.objectNode();
      d.put("error", Asl.TIMEOUT);
      event(clock, "ExecutionTimedOut", d);
      return new ExecutionResult(ExecutionStatus.TIMED_OUT, null, Asl.TIMEOUT, null, history);
    }
  }

  /** Runs a state machine or a branch or Map processor of one; returns its output. */
  JsonNode runGraph(StateGraph graph, JsonNode graphInput, VirtualClock c, ObjectNode mapItem) {
    State state = graph.state(graph.startAt());
    JsonNode data = graphInput;
    while (true) {
      checkDeadline(c);
      Step step = runState(state, data, c, mapItem);
      data = step.output();
      if (step.next() == null) {
        return data;
      }
      state = graph.state(step.next());
    }
  }

  /** The output of a state and the state to go to ({@code null} when it ends its machine). */
  record Step(JsonNode output, String next) {}

  private Step runState(State state, JsonNode raw, VirtualClock c, ObjectNode mapItem) {
    String type = state.type();
    Instant entered = c.instant();
    ObjectNode d = F.objectNode();
    d.put("name", state.name());
    d.put("input", Asl.write(raw));
    long enteredId = event(c, type + "StateEntered", d);
    Frame frame = new Frame(state, raw, c, mapItem, enteredId, context(state, entered, 0, mapItem));
    Step step;
    try {
      step =
          state instanceof State.Retryable r ? retryAndCatch.run(r, frame) : flow.run(state, frame);
    } catch (AslError e) {
      listener.onStateCompleted(state.name(), type, Duration.between(entered, c.instant()));
      throw e;
    }
    ObjectNode x = F.objectNode();
    x.put("name", state.name());
    x.put("output", Asl.write(step.output()));
    event(c, type + "StateExited", x);
    listener.onStateCompleted(state.name(), type, Duration.between(entered, c.instant()));
    return step;
  }

  /**
   * The context object ({@code $$}) for one attempt at a state: the execution, the state machine,
   * the state (entered time, name, retry count) and, inside a Map iteration, the item.
   */
  ObjectNode context(State state, Instant entered, int retryCount, ObjectNode mapItem) {
    ObjectNode ctx = baseContext.deepCopy();
    ObjectNode s = ctx.putObject("State");
    s.put("EnteredTime", Asl.formatTimestamp(entered));
    s.put("Name", state.name());
    s.put("RetryCount", retryCount);
    if (mapItem != null) {
      ctx.putObject("Map").set("Item", mapItem);
    }
    return ctx;
  }

  /** Appends a history event at {@code c}'s instant and returns its id. */
  long event(VirtualClock c, String type, ObjectNode details) {
    long id = history.size() + 1L;
    HistoryEvent e = new HistoryEvent(id, id - 1, c.instant(), type, details);
    history.add(e);
    listener.onEvent(e);
    return id;
  }

  /** The instant of event {@code id}. */
  Instant eventTime(long id) {
    return history.get((int) id - 1).timestamp();
  }

  /** Adds {@code error} and, when there is one, {@code cause} to event details. */
  static ObjectNode errorDetails(ObjectNode details, AslError e) {
    if (e.error() != null) {
      details.put("error", e.error());
    }
    if (e.errorCause() != null) {
      details.put("cause", e.errorCause());
    }
    return details;
  }

  /** Moves {@code c} forward by {@code d}, or to the deadline and times out. */
  void sleep(VirtualClock c, Duration d) {
    Instant target = c.instant().plus(d);
    if (target.isAfter(deadline)) {
      c.set(deadline);
      throw new ExecutionTimedOut();
    }
    c.set(target);
  }

  void checkDeadline(VirtualClock c) {
    if (c.instant().isAfter(deadline)) {
      throw new ExecutionTimedOut();
    }
  }
}
