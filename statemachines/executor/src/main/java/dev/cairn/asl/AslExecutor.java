package dev.cairn.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Executes a {@link StateMachine} (JSONPath query language, states-language.net) on a {@link
 * VirtualClock}. Tasks go to mocked responses first, then to registered {@link TaskHandlers}.
 *
 * <p>Parallel branches and Map iterations run one after another, each on its own fork of the clock;
 * the parent clock then moves to the latest end, so elapsed virtual time matches concurrent
 * execution (Map iterations are scheduled into {@code MaxConcurrency} slots).
 */
public final class AslExecutor {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  static final String REGION = "us-east-1";
  static final String ACCOUNT = "123456789012";

  private final TaskHandlers handlers;
  private final MockConfig.TaskMocks mocks;
  private final Random random;
  private final ExecutionListener listener;

  private AslExecutor(Builder b) {
    this.handlers = b.handlers;
    this.mocks = b.mocks;
    this.random = b.random;
    this.listener = b.listener;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Wide configuration; every field has a safe default. */
  public static final class Builder {
    private TaskHandlers handlers = new TaskHandlers();
    private MockConfig.TaskMocks mocks = MockConfig.TaskMocks.none();
    private Random random = new Random(0);
    private ExecutionListener listener = ExecutionListener.none();

    public Builder handlers(TaskHandlers handlers) {
      this.handlers = handlers;
      return this;
    }

    public Builder mocks(MockConfig.TaskMocks mocks) {
      this.mocks = mocks;
      return this;
    }

    /** The source of jitter, {@code States.UUID} and {@code States.MathRandom}. */
    public Builder random(Random random) {
      this.random = random;
      return this;
    }

    public Builder listener(ExecutionListener listener) {
      this.listener = listener;
      return this;
    }

    public AslExecutor build() {
      return new AslExecutor(this);
    }
  }

  /** Runs one execution to completion. The clock is advanced by Wait, retries and tasks. */
  public ExecutionResult execute(
      StateMachine machine, JsonNode input, String executionName, VirtualClock clock) {
    String smArn = "arn:aws:states:" + REGION + ":" + ACCOUNT + ":stateMachine:" + machine.name();
    return execute(
        machine,
        input,
        new Identity(
            smArn,
            smArn.replace(":stateMachine:", ":execution:") + ":" + executionName,
            "arn:aws:iam::" + ACCOUNT + ":role/" + machine.name() + "-role"),
        clock);
  }

  /**
   * Who an execution is in Step Functions: its state machine's ARN, its own ARN (whose last segment
   * is its name) and the state machine's role. The context object ({@code $$}) carries them.
   */
  public record Identity(String stateMachineArn, String executionArn, String roleArn) {
    public String name() {
      return executionArn.substring(executionArn.lastIndexOf(':') + 1);
    }
  }

  /** Runs {@code machine} as the execution {@code identity}. */
  public ExecutionResult execute(
      StateMachine machine, JsonNode input, Identity identity, VirtualClock clock) {
    mocks.reset();
    Run run = new Run(machine, input, identity, clock);
    return run.start();
  }

  /** Raised when the execution's own TimeoutSeconds elapses; never caught by Catch. */
  private static final class ExecutionTimedOut extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ExecutionTimedOut() {
      super("execution timed out", null, false, false);
    }
  }

  /** A failure that must not be retried or caught (States.Runtime and friends). */
  private static boolean uncatchable(String error) {
    return Asl.RUNTIME.equals(error) || Asl.DATA_LIMIT_EXCEEDED.equals(error);
  }

  /**
   * Spec "Error names": States.ALL matches all but terminal errors; States.TaskFailed all but
   * Timeout.
   */
  static boolean errorMatches(JsonNode errorEquals, String error) {
    for (JsonNode e : errorEquals) {
      String name = e.asText();
      if (name.equals(error)) {
        return true;
      }
      if (name.equals(Asl.ALL) && !uncatchable(error)) {
        return true;
      }
      if (name.equals(Asl.TASK_FAILED) && !uncatchable(error) && !Asl.TIMEOUT.equals(error)) {
        return true;
      }
    }
    return false;
  }

  private final class Run {
    final StateMachine machine;
    final JsonNode input;
    final String executionName;
    final VirtualClock clock;
    final Intrinsics intrinsics = new Intrinsics(random);
    final List<HistoryEvent> history = new ArrayList<>();
    final Instant deadline;
    final ObjectNode baseContext;

    Run(StateMachine machine, JsonNode input, Identity identity, VirtualClock clock) {
      this.machine = machine;
      this.input = input;
      this.executionName = identity.name();
      this.clock = clock;
      long timeout = machine.timeoutSeconds();
      this.deadline = timeout > 0 ? clock.instant().plusSeconds(timeout) : Instant.MAX;
      baseContext = F.objectNode();
      ObjectNode execution = baseContext.putObject("Execution");
      execution.put("Id", identity.executionArn());
      execution.set("Input", input.deepCopy());
      execution.put("Name", executionName);
      execution.put("RoleArn", identity.roleArn());
      execution.put("StartTime", Asl.formatTimestamp(clock.instant()));
      ObjectNode sm = baseContext.putObject("StateMachine");
      sm.put("Id", identity.stateMachineArn());
      sm.put("Name", machine.name());
    }

    long event(VirtualClock c, String type, ObjectNode details) {
      long id = history.size() + 1L;
      HistoryEvent e = new HistoryEvent(id, id - 1, c.instant(), type, details);
      history.add(e);
      listener.onEvent(e);
      return id;
    }

    ExecutionResult start() {
      ObjectNode started = F.objectNode();
      started.put("input", Asl.write(input));
      started.put("roleArn", baseContext.path("Execution").path("RoleArn").asText());
      event(clock, "ExecutionStarted", started);
      try {
        JsonNode output = runMachine(machine.definition(), input, clock, null);
        ObjectNode d = F.objectNode();
        d.put("output", Asl.write(output));
        event(clock, "ExecutionSucceeded", d);
        return new ExecutionResult(ExecutionStatus.SUCCEEDED, output, null, null, history);
      } catch (AslError e) {
        ObjectNode d = F.objectNode();
        if (e.error() != null) {
          d.put("error", e.error());
        }
        if (e.errorCause() != null) {
          d.put("cause", e.errorCause());
        }
        event(clock, "ExecutionFailed", d);
        return new ExecutionResult(
            ExecutionStatus.FAILED, null, e.error(), e.errorCause(), history);
      } catch (ExecutionTimedOut e) {
        clock.set(deadline);
        ObjectNode d = F.objectNode();
        d.put("error", Asl.TIMEOUT);
        event(clock, "ExecutionTimedOut", d);
        return new ExecutionResult(ExecutionStatus.TIMED_OUT, null, Asl.TIMEOUT, null, history);
      }
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

    ObjectNode context(VirtualClock c, String stateName, int retryCount, ObjectNode mapItem) {
      ObjectNode ctx = baseContext.deepCopy();
      ObjectNode state = ctx.putObject("State");
      state.put("EnteredTime", Asl.formatTimestamp(c.instant()));
      state.put("Name", stateName);
      state.put("RetryCount", retryCount);
      if (mapItem != null) {
        ctx.putObject("Map").set("Item", mapItem);
      }
      return ctx;
    }

    /** Runs a (sub-)machine: StartAt + States. Returns the output or throws AslError. */
    JsonNode runMachine(JsonNode sm, JsonNode smInput, VirtualClock c, ObjectNode mapItem) {
      JsonNode states = sm.get("States");
      String current = sm.get("StartAt").asText();
      JsonNode data = smInput;
      while (true) {
        checkDeadline(c);
        JsonNode state = states.get(current);
        Step step = runState(current, state, data, c, mapItem);
        data = step.output();
        if (step.next() == null) {
          return data;
        }
        current = step.next();
      }
    }

    /** The output of a state and the state to go to ({@code null} when terminal). */
    private record Step(JsonNode output, String next) {}

    Step runState(String name, JsonNode state, JsonNode raw, VirtualClock c, ObjectNode mapItem) {
      String type = state.get("Type").asText();
      Instant entered = c.instant();
      ObjectNode d = F.objectNode();
      d.put("name", name);
      d.put("input", Asl.write(raw));
      long enteredId = event(c, type + "StateEntered", d);
      ObjectNode ctx = context(c, name, 0, mapItem);
      Step step;
      try {
        step =
            switch (type) {
              case "Pass" -> pass(name, state, raw, ctx, enteredId);
              case "Choice" -> choice(name, state, raw, ctx, enteredId);
              case "Wait" -> waitState(name, state, raw, c, ctx, enteredId);
              case "Succeed" ->
                  new Step(
                      outputPath(
                          name, state, inputPath(name, state, raw, ctx, enteredId), ctx, enteredId),
                      null);
              case "Fail" -> throw fail(name, state, raw, ctx, enteredId);
              default -> withRetryAndCatch(name, type, state, raw, c, mapItem, enteredId);
            };
      } catch (AslError e) {
        listener.onStateCompleted(name, type, Duration.between(entered, c.instant()));
        throw e;
      }
      if (!type.equals("Fail")) {
        ObjectNode x = F.objectNode();
        x.put("name", name);
        x.put("output", Asl.write(step.output()));
        event(c, type + "StateExited", x);
      }
      listener.onStateCompleted(name, type, Duration.between(entered, c.instant()));
      return step;
    }

    String next(JsonNode state) {
      return state.path("End").asBoolean(false) ? null : state.get("Next").asText();
    }

    String prefix(String name, long enteredId) {
      return "An error occurred while executing the state '"
          + name
          + "' (entered at the event id #"
          + enteredId
          + "). ";
    }

    JsonNode inputPath(String name, JsonNode state, JsonNode raw, JsonNode ctx, long enteredId) {
      return selectPath("InputPath", name, state, raw, ctx, enteredId);
    }

    JsonNode outputPath(String name, JsonNode state, JsonNode out, JsonNode ctx, long enteredId) {
      return selectPath("OutputPath", name, state, out, ctx, enteredId);
    }

    /**
     * InputPath and OutputPath select the same way: absent keeps the value, null gives {}, and a
     * path that matches nothing is States.Runtime.
     */
    private JsonNode selectPath(
        String field, String name, JsonNode state, JsonNode value, JsonNode ctx, long enteredId) {
      if (!state.has(field)) {
        return value;
      }
      JsonNode p = state.get(field);
      if (p.isNull()) {
        return F.objectNode();
      }
      return JsonPaths.read(p.asText(), value, ctx)
          .orElseThrow(
              () ->
                  new AslError(
                      Asl.RUNTIME,
                      prefix(name, enteredId)
                          + "Invalid path '"
                          + p.asText()
                          + "' : No results for path: "
                          + bracketed(p.asText())));
    }

    JsonNode resultPath(
        String name, JsonNode resultPathSpec, boolean present, JsonNode raw, JsonNode result) {
      if (!present) {
        return result;
      }
      if (resultPathSpec.isNull()) {
        return raw;
      }
      return JsonPaths.set(raw, resultPathSpec.asText(), result);
    }

    /** Payload template (spec "Payload Template"): {@code .$} keys take paths or intrinsics. */
    JsonNode template(
        String name, String field, JsonNode tpl, JsonNode data, JsonNode ctx, long enteredId) {
      if (tpl.isObject()) {
        ObjectNode out = F.objectNode();
        Iterator<Map.Entry<String, JsonNode>> it = tpl.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          String key = e.getKey();
          if (key.endsWith(".$") && e.getValue().isTextual()) {
            String expr = e.getValue().asText();
            String outKey = key.substring(0, key.length() - 2);
            if (Intrinsics.isIntrinsic(expr)) {
              out.set(outKey, intrinsics.evaluate(expr, data, ctx));
            } else {
              Optional<JsonNode> v;
              try {
                v = JsonPaths.read(expr, data, ctx);
              } catch (AslError err) {
                v = Optional.empty();
              }
              if (v.isEmpty()) {
                throw new AslError(
                    Asl.RUNTIME,
                    prefix(name, enteredId)
                        + "The JSONPath '"
                        + expr
                        + "' specified for the field '"
                        + key
                        + "' could not be found in the input '"
                        + Asl.write(expr.startsWith("$$") ? ctx : data)
                        + "'");
              }
              out.set(outKey, v.get());
            }
          } else {
            out.set(key, template(name, field, e.getValue(), data, ctx, enteredId));
          }
        }
        return out;
      }
      if (tpl.isArray()) {
        ArrayNode out = F.arrayNode();
        for (JsonNode v : tpl) {
          out.add(template(name, field, v, data, ctx, enteredId));
        }
        return out;
      }
      return tpl.deepCopy();
    }

    Step pass(String name, JsonNode state, JsonNode raw, JsonNode ctx, long enteredId) {
      JsonNode effective = inputPath(name, state, raw, ctx, enteredId);
      if (state.has("Parameters")) {
        effective =
            template(name, "Parameters", state.get("Parameters"), effective, ctx, enteredId);
      }
      JsonNode result = state.has("Result") ? state.get("Result").deepCopy() : effective;
      JsonNode out =
          resultPath(name, state.get("ResultPath"), state.has("ResultPath"), raw, result);
      return new Step(outputPath(name, state, out, ctx, enteredId), next(state));
    }

    Step choice(String name, JsonNode state, JsonNode raw, JsonNode ctx, long enteredId) {
      JsonNode effective = inputPath(name, state, raw, ctx, enteredId);
      String target = null;
      for (JsonNode rule : state.get("Choices")) {
        boolean match;
        try {
          match = ChoiceRules.matches(rule, effective, ctx);
        } catch (AslError e) {
          throw new AslError(e.error(), prefix(name, enteredId) + e.errorCause());
        }
        if (match) {
          target = rule.get("Next").asText();
          break;
        }
      }
      if (target == null) {
        if (!state.has("Default")) {
          throw new AslError(
              Asl.NO_CHOICE_MATCHED,
              prefix(name, enteredId) + "No Choice Rule matched and no Default was specified.");
        }
        target = state.get("Default").asText();
      }
      return new Step(outputPath(name, state, effective, ctx, enteredId), target);
    }

    Step waitState(
        String name, JsonNode state, JsonNode raw, VirtualClock c, JsonNode ctx, long enteredId) {
      JsonNode effective = inputPath(name, state, raw, ctx, enteredId);
      Instant until;
      if (state.has("Seconds")) {
        until = c.instant().plusSeconds(state.get("Seconds").asLong());
      } else if (state.has("Timestamp")) {
        until = Asl.parseTimestamp(state.get("Timestamp").asText()).orElseThrow();
      } else if (state.has("SecondsPath")) {
        String p = state.get("SecondsPath").asText();
        JsonNode v = readOrRuntime(name, p, effective, ctx, enteredId);
        if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
          throw new AslError(
              Asl.RUNTIME,
              prefix(name, enteredId)
                  + "The SecondsPath parameter does not reference a valid integer value: "
                  + Asl.write(v));
        }
        until = c.instant().plusSeconds(v.asLong());
      } else {
        String p = state.get("TimestampPath").asText();
        JsonNode v = readOrRuntime(name, p, effective, ctx, enteredId);
        until =
            (v.isTextual() ? Asl.parseTimestamp(v.asText()) : Optional.<Instant>empty())
                .orElseThrow(
                    () ->
                        new AslError(
                            Asl.RUNTIME,
                            prefix(name, enteredId)
                                + "The TimestampPath parameter does not reference a valid ISO-8601"
                                + " extended offset date-time format string: "
                                + Asl.write(v)));
      }
      if (until.isAfter(c.instant())) {
        sleep(c, Duration.between(c.instant(), until));
      }
      return new Step(outputPath(name, state, effective, ctx, enteredId), next(state));
    }

    JsonNode readOrRuntime(String name, String p, JsonNode data, JsonNode ctx, long enteredId) {
      return JsonPaths.read(p, data, ctx)
          .orElseThrow(
              () ->
                  new AslError(
                      Asl.RUNTIME,
                      prefix(name, enteredId)
                          + "Invalid path '"
                          + p
                          + "' : No results for path: "
                          + bracketed(p)));
    }

    AslError fail(String name, JsonNode state, JsonNode raw, JsonNode ctx, long enteredId) {
      String error = state.path("Error").asText(null);
      String cause = state.path("Cause").asText(null);
      if (state.has("ErrorPath")) {
        error = dynamicString(name, state.get("ErrorPath").asText(), raw, ctx, enteredId);
      }
      if (state.has("CausePath")) {
        cause = dynamicString(name, state.get("CausePath").asText(), raw, ctx, enteredId);
      }
      return new AslError(error, cause);
    }

    String dynamicString(String name, String expr, JsonNode data, JsonNode ctx, long enteredId) {
      JsonNode v =
          Intrinsics.isIntrinsic(expr)
              ? intrinsics.evaluate(expr, data, ctx)
              : readOrRuntime(name, expr, data, ctx, enteredId);
      if (!v.isTextual()) {
        throw new AslError(
            Asl.RUNTIME,
            prefix(name, enteredId)
                + "The value at '"
                + expr
                + "' is not a string: "
                + Asl.write(v));
      }
      return v.asText();
    }

    /** Task, Parallel and Map: the attempt loop with Retry and Catch (spec "Error Handling"). */
    Step withRetryAndCatch(
        String name,
        String type,
        JsonNode state,
        JsonNode raw,
        VirtualClock c,
        ObjectNode mapItem,
        long enteredId) {
      JsonNode retriers = state.path("Retry");
      int[] attempts = new int[retriers.size()];
      int retryCount = 0;
      while (true) {
        ObjectNode ctx = context(c, name, retryCount, mapItem);
        // Entered time stays that of the state entry, as in Step Functions.
        ((ObjectNode) ctx.get("State"))
            .put(
                "EnteredTime", history.get((int) enteredId - 1).toJson().get("timestamp").asText());
        try {
          JsonNode out =
              switch (type) {
                case "Task" -> task(name, state, raw, c, ctx, enteredId);
                case "Parallel" -> parallel(name, state, raw, c, ctx, enteredId);
                case "Map" -> map(name, state, raw, c, ctx, enteredId);
                default -> throw new AslDefinitionException("unknown state type " + type);
              };
          return new Step(out, next(state));
        } catch (AslError e) {
          if (uncatchable(e.error())) {
            throw e;
          }
          int k = 0;
          JsonNode retrier = null;
          for (; k < retriers.size(); k++) {
            if (errorMatches(retriers.get(k).get("ErrorEquals"), e.error())) {
              retrier = retriers.get(k);
              break;
            }
          }
          if (retrier != null && attempts[k] < retrier.path("MaxAttempts").asInt(3)) {
            sleep(c, backoff(retrier, attempts[k]));
            attempts[k]++;
            retryCount++;
            continue;
          }
          for (JsonNode catcher : state.path("Catch")) {
            if (errorMatches(catcher.get("ErrorEquals"), e.error())) {
              ObjectNode errorOutput = F.objectNode();
              errorOutput.put("Error", e.error());
              if (e.errorCause() != null) {
                errorOutput.put("Cause", e.errorCause());
              }
              JsonNode out =
                  resultPath(
                      name, catcher.get("ResultPath"), catcher.has("ResultPath"), raw, errorOutput);
              return new Step(out, catcher.get("Next").asText());
            }
          }
          throw e;
        }
      }
    }

    /**
     * Spec "Retry": IntervalSeconds x BackoffRate^n, capped by MaxDelaySeconds, optional full
     * jitter.
     */
    Duration backoff(JsonNode retrier, int attempt) {
      double interval = retrier.path("IntervalSeconds").asDouble(1.0);
      double rate = retrier.path("BackoffRate").asDouble(2.0);
      double delay = interval * Math.pow(rate, attempt);
      if (retrier.has("MaxDelaySeconds")) {
        delay = Math.min(delay, retrier.get("MaxDelaySeconds").asDouble());
      }
      if ("FULL".equals(retrier.path("JitterStrategy").asText("NONE"))) {
        delay = random.nextDouble() * delay;
      }
      return Duration.ofMillis(Math.round(delay * 1000));
    }

    long secondsField(
        String name, JsonNode state, String field, JsonNode data, JsonNode ctx, long enteredId) {
      if (state.has(field)) {
        return state.get(field).asLong();
      }
      if (state.has(field + "Path")) {
        JsonNode v = readOrRuntime(name, state.get(field + "Path").asText(), data, ctx, enteredId);
        if (!v.isIntegralNumber() || v.asLong() <= 0) {
          throw new AslError(
              Asl.RUNTIME,
              prefix(name, enteredId)
                  + "The "
                  + field
                  + "Path parameter does not reference a positive integer: "
                  + Asl.write(v));
        }
        return v.asLong();
      }
      return 0;
    }

    JsonNode task(
        String name, JsonNode state, JsonNode raw, VirtualClock c, JsonNode ctx, long enteredId) {
      JsonNode effective = inputPath(name, state, raw, ctx, enteredId);
      JsonNode params =
          state.has("Parameters")
              ? template(name, "Parameters", state.get("Parameters"), effective, ctx, enteredId)
              : effective;
      long timeout = secondsField(name, state, "TimeoutSeconds", effective, ctx, enteredId);
      long heartbeat = secondsField(name, state, "HeartbeatSeconds", effective, ctx, enteredId);
      String resource = state.get("Resource").asText();
      String resourceType = resourceType(resource);
      ObjectNode sched = F.objectNode();
      sched.put("resourceType", resourceType);
      sched.put("resource", resourceName(resource));
      sched.put("region", REGION);
      sched.put("parameters", Asl.write(params));
      if (timeout > 0) {
        sched.put("timeoutInSeconds", timeout);
      }
      if (heartbeat > 0) {
        sched.put("heartbeatInSeconds", heartbeat);
      }
      event(c, "TaskScheduled", sched);
      ObjectNode startedDetails = F.objectNode();
      startedDetails.put("resourceType", resourceType);
      startedDetails.put("resource", resourceName(resource));
      event(c, "TaskStarted", startedDetails);
      Instant start = c.instant();
      List<Instant> beats = new ArrayList<>();
      JsonNode result;
      AslError failure = null;
      result = null;
      try {
        result = dispatch(name, resource, params, ctx, c, () -> beats.add(c.instant()));
      } catch (AslError e) {
        failure = e;
      }
      Instant end = c.instant();
      // Timeouts: the task is cut off at the first instant a limit was exceeded.
      Instant timedOutAt = null;
      String timeoutError = null;
      if (heartbeat > 0) {
        Instant last = start;
        List<Instant> marks = new ArrayList<>(beats);
        marks.add(end);
        for (Instant m : marks) {
          if (Duration.between(last, m).getSeconds() >= heartbeat
              && m.isAfter(last.plusSeconds(heartbeat))) {
            timedOutAt = last.plusSeconds(heartbeat);
            timeoutError = Asl.HEARTBEAT_TIMEOUT;
            break;
          }
          last = m;
        }
      }
      if (timeout > 0 && end.isAfter(start.plusSeconds(timeout))) {
        Instant t = start.plusSeconds(timeout);
        if (timedOutAt == null || t.isBefore(timedOutAt)) {
          timedOutAt = t;
          timeoutError = Asl.TIMEOUT;
        }
      }
      if (timedOutAt != null) {
        c.set(timedOutAt);
        checkDeadline(c);
        ObjectNode d = F.objectNode();
        d.put("resourceType", resourceType);
        d.put("resource", resourceName(resource));
        d.put("error", timeoutError);
        event(c, "TaskTimedOut", d);
        throw new AslError(timeoutError, null);
      }
      checkDeadline(c);
      if (failure != null) {
        ObjectNode d = F.objectNode();
        d.put("resourceType", resourceType);
        d.put("resource", resourceName(resource));
        d.put("error", failure.error());
        if (failure.errorCause() != null) {
          d.put("cause", failure.errorCause());
        }
        event(c, "TaskFailed", d);
        throw failure;
      }
      ObjectNode ok = F.objectNode();
      ok.put("resourceType", resourceType);
      ok.put("resource", resourceName(resource));
      ok.put("output", Asl.write(result));
      event(c, "TaskSucceeded", ok);
      return afterResult(name, state, raw, result, ctx, enteredId);
    }

    JsonNode afterResult(
        String name, JsonNode state, JsonNode raw, JsonNode result, JsonNode ctx, long enteredId) {
      if (state.has("ResultSelector")) {
        result =
            template(name, "ResultSelector", state.get("ResultSelector"), result, ctx, enteredId);
      }
      JsonNode out =
          resultPath(name, state.get("ResultPath"), state.has("ResultPath"), raw, result);
      return outputPath(name, state, out, ctx, enteredId);
    }

    String resourceType(String resource) {
      if (TaskHandlers.isLambdaArn(resource)) {
        return "lambda";
      }
      String prefix = "arn:aws:states:::";
      if (resource.startsWith(prefix)) {
        String rest = resource.substring(prefix.length());
        int colon = rest.indexOf(':');
        return colon < 0 ? rest : rest.substring(0, colon);
      }
      return "activity";
    }

    String resourceName(String resource) {
      String prefix = "arn:aws:states:::";
      if (resource.startsWith(prefix)) {
        String rest = resource.substring(prefix.length());
        int colon = rest.indexOf(':');
        return colon < 0 ? rest : rest.substring(colon + 1);
      }
      return resource;
    }

    JsonNode dispatch(
        String name,
        String resource,
        JsonNode params,
        JsonNode ctx,
        VirtualClock c,
        Runnable heartbeat) {
      Optional<MockConfig.Response> mocked = mocks.next(name);
      if (mocked.isPresent()) {
        return mocked.get().apply();
      }
      boolean lambdaInvoke =
          resource.matches("arn:aws:states:::lambda:invoke(\\.waitForTaskToken)?");
      Optional<TaskHandler> handler;
      String function = "";
      JsonNode payload = params;
      if (lambdaInvoke) {
        function = params.path("FunctionName").asText("");
        payload = params.has("Payload") ? params.get("Payload") : F.objectNode();
        handler = handlers.forFunction(function);
      } else if (TaskHandlers.isLambdaArn(resource)) {
        function = resource;
        handler = handlers.forFunction(resource);
      } else {
        handler = handlers.forService(resource);
      }
      if (handler.isEmpty()) {
        throw new AslError(
            Asl.RUNTIME,
            "No mocked response and no handler for Task state '"
                + name
                + "' (resource "
                + resource
                + (function.isEmpty() || function.equals(resource) ? "" : ", function " + function)
                + ")");
      }
      JsonNode out;
      try {
        out =
            handler
                .get()
                .handle(
                    new TaskRequest(
                        name, resource, function, payload.deepCopy(), ctx, c, heartbeat));
      } catch (TaskFailure e) {
        throw new AslError(e.error(), e.getMessage());
      } catch (AslError e) {
        throw e;
      } catch (Exception e) {
        // The Java Lambda runtime reports the fully qualified class name as errorType.
        throw new AslError(e.getClass().getName(), e.getMessage());
      }
      if (out == null) {
        out = F.nullNode();
      }
      if (lambdaInvoke) {
        ObjectNode wrapped = F.objectNode();
        wrapped.put("ExecutedVersion", "$LATEST");
        wrapped.set("Payload", out);
        ObjectNode meta = wrapped.putObject("SdkHttpMetadata");
        meta.putObject("AllHttpHeaders");
        meta.putObject("HttpHeaders");
        meta.put("HttpStatusCode", 200);
        wrapped
            .putObject("SdkResponseMetadata")
            .put("RequestId", intrinsics.evaluate("States.UUID()", F.objectNode(), ctx).asText());
        wrapped.put("StatusCode", 200);
        return wrapped;
      }
      return out;
    }

    JsonNode parallel(
        String name, JsonNode state, JsonNode raw, VirtualClock c, JsonNode ctx, long enteredId) {
      JsonNode effective = inputPath(name, state, raw, ctx, enteredId);
      if (state.has("Parameters")) {
        effective =
            template(name, "Parameters", state.get("Parameters"), effective, ctx, enteredId);
      }
      event(c, "ParallelStateStarted", F.objectNode());
      ArrayNode results = F.arrayNode();
      Instant latest = c.instant();
      for (JsonNode branch : state.get("Branches")) {
        VirtualClock bc = c.fork();
        try {
          results.add(runMachine(branch, effective, bc, null));
        } catch (AslError e) {
          c.set(max(latest, bc.instant()));
          ObjectNode d = F.objectNode();
          d.put("error", e.error());
          if (e.errorCause() != null) {
            d.put("cause", e.errorCause());
          }
          event(c, "ParallelStateFailed", d);
          throw e;
        }
        latest = max(latest, bc.instant());
      }
      c.set(latest);
      event(c, "ParallelStateSucceeded", F.objectNode());
      return afterResult(name, state, raw, results, ctx, enteredId);
    }

    JsonNode map(
        String name, JsonNode state, JsonNode raw, VirtualClock c, JsonNode ctx, long enteredId) {
      JsonNode effective = inputPath(name, state, raw, ctx, enteredId);
      if (state.has("ItemReader")) {
        throw new AslError(
            Asl.ITEM_READER_FAILED,
            prefix(name, enteredId) + "ItemReader is not supported locally");
      }
      String itemsPath = state.path("ItemsPath").asText("$");
      JsonNode items = readOrRuntime(name, itemsPath, effective, ctx, enteredId);
      if (!items.isArray()) {
        throw new AslError(
            Asl.RUNTIME,
            prefix(name, enteredId)
                + "Invalid path '"
                + itemsPath
                + "': the value is not a JSON array: "
                + Asl.write(items));
      }
      JsonNode processor =
          state.has("ItemProcessor") ? state.get("ItemProcessor") : state.get("Iterator");
      JsonNode selector =
          state.has("ItemSelector") ? state.get("ItemSelector") : state.get("Parameters");
      int maxConcurrency = (int) Math.max(0, state.path("MaxConcurrency").asLong(0));
      Double toleratedPercent = null;
      Long toleratedCount = null;
      if (state.has("ToleratedFailurePercentage") || state.has("ToleratedFailurePercentagePath")) {
        JsonNode v =
            state.has("ToleratedFailurePercentage")
                ? state.get("ToleratedFailurePercentage")
                : readOrRuntime(
                    name,
                    state.get("ToleratedFailurePercentagePath").asText(),
                    effective,
                    ctx,
                    enteredId);
        toleratedPercent = v.asDouble();
      }
      if (state.has("ToleratedFailureCount") || state.has("ToleratedFailureCountPath")) {
        JsonNode v =
            state.has("ToleratedFailureCount")
                ? state.get("ToleratedFailureCount")
                : readOrRuntime(
                    name,
                    state.get("ToleratedFailureCountPath").asText(),
                    effective,
                    ctx,
                    enteredId);
        toleratedCount = v.asLong();
      }
      boolean tolerant = toleratedPercent != null || toleratedCount != null;
      ObjectNode startedDetails = F.objectNode();
      startedDetails.put("length", items.size());
      event(c, "MapStateStarted", startedDetails);
      int slots = maxConcurrency == 0 ? Math.max(1, items.size()) : maxConcurrency;
      Instant[] slotFree = new Instant[slots];
      java.util.Arrays.fill(slotFree, c.instant());
      ArrayNode results = F.arrayNode();
      int failures = 0;
      Instant latest = c.instant();
      for (int i = 0; i < items.size(); i++) {
        int slot = 0;
        for (int s = 1; s < slots; s++) {
          if (slotFree[s].isBefore(slotFree[slot])) {
            slot = s;
          }
        }
        VirtualClock ic = new VirtualClock(slotFree[slot]);
        ObjectNode item = F.objectNode();
        item.put("Index", i);
        item.set("Value", items.get(i));
        ObjectNode itemCtx = ((ObjectNode) ctx).deepCopy();
        itemCtx.putObject("Map").set("Item", item);
        ObjectNode it = F.objectNode();
        it.put("name", name);
        it.put("index", i);
        event(ic, "MapIterationStarted", it);
        try {
          JsonNode itemInput =
              selector == null
                  ? items.get(i)
                  : template(name, "ItemSelector", selector, effective, itemCtx, enteredId);
          results.add(runMachine(processor, itemInput, ic, item));
          event(ic, "MapIterationSucceeded", it.deepCopy());
        } catch (AslError e) {
          ObjectNode fd = it.deepCopy();
          fd.put("error", e.error());
          event(ic, "MapIterationFailed", fd);
          if (!tolerant || uncatchable(e.error())) {
            c.set(max(latest, ic.instant()));
            event(c, "MapStateFailed", F.objectNode());
            throw e;
          }
          failures++;
          ObjectNode err = F.objectNode();
          err.put("Error", e.error());
          if (e.errorCause() != null) {
            err.put("Cause", e.errorCause());
          }
          results.add(err);
        }
        slotFree[slot] = ic.instant();
        latest = max(latest, ic.instant());
      }
      c.set(latest);
      if (tolerant && failures > 0) {
        boolean exceeded =
            (toleratedCount != null && failures > toleratedCount)
                || (toleratedPercent != null && failures * 100.0 / items.size() > toleratedPercent);
        if (toleratedCount != null && toleratedPercent != null) {
          exceeded =
              failures > toleratedCount && failures * 100.0 / items.size() > toleratedPercent;
        }
        if (exceeded) {
          event(c, "MapStateFailed", F.objectNode());
          throw new AslError(
              Asl.EXCEED_TOLERATED_FAILURE_THRESHOLD,
              "The specified tolerated failure threshold was exceeded");
        }
      }
      event(c, "MapStateSucceeded", F.objectNode());
      return afterResult(name, state, raw, results, ctx, enteredId);
    }
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /** {@code $.a.b} -> {@code $['a']['b']}, the way Step Functions quotes paths in causes. */
  static String bracketed(String path) {
    return JsonPaths.isReferencePath(path) ? toBrackets(path) : path;
  }

  private static String toBrackets(String path) {
    StringBuilder b = new StringBuilder("$");
    for (String part : path.substring(1).split("\\.")) {
      if (part.isEmpty()) {
        continue;
      }
      int bracket = part.indexOf('[');
      String field = bracket < 0 ? part : part.substring(0, bracket);
      if (!field.isEmpty()) {
        b.append("['").append(field).append("']");
      }
      if (bracket >= 0) {
        b.append(part.substring(bracket));
      }
    }
    return b.toString();
  }
}
