package dev.cairn.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One attempt at a Task state (spec "Task State"): the effective parameters, the Task* history
 * events, the call (a MockConfigFile response first, then a registered handler), and the
 * TimeoutSeconds and HeartbeatSeconds limits measured on the virtual clock.
 */
final class TaskRunner {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final Execution execution;
  private final DataFlow data;
  private final TaskHandlers handlers;
  private final MockConfig.TaskMocks mocks;

  TaskRunner(
      Execution execution, DataFlow data, TaskHandlers handlers, MockConfig.TaskMocks mocks) {
    this.execution = execution;
    this.data = data;
    this.handlers = handlers;
    this.mocks = mocks;
  }

  JsonNode run(State.Task task, Frame f) {
    VirtualClock c = f.clock();
    JsonNode effective = data.select(task.io().inputPath(), f.input(), f);
    JsonNode params = data.apply(task.io().parameters(), effective, f.context(), f);
    long timeout = seconds(task.timeoutSeconds(), effective, f);
    long heartbeat = seconds(task.heartbeatSeconds(), effective, f);
    TaskResource resource = task.resource();
    ObjectNode scheduled = details(resource);
    scheduled.put("region", AslExecutor.REGION);
    scheduled.put("parameters", Asl.write(params));
    if (timeout > 0) {
      scheduled.put("timeoutInSeconds", timeout);
    }
    if (heartbeat > 0) {
      scheduled.put("heartbeatInSeconds", heartbeat);
    }
    execution.event(c, "TaskScheduled", scheduled);
    execution.event(c, "TaskStarted", details(resource));
    Instant start = c.instant();
    List<Instant> beats = new ArrayList<>();
    JsonNode result = null;
    AslError failure = null;
    try {
      result = dispatch(task, params, f, () -> beats.add(c.instant()));
    } catch (AslError e) {
      failure = e;
    }
    TimedOut timedOut = timedOut(start, c.instant(), beats, timeout, heartbeat);
    if (timedOut != null) {
      c.set(timedOut.at());
      execution.checkDeadline(c);
      ObjectNode d = details(resource);
      d.put("error", timedOut.error());
      execution.event(c, "TaskTimedOut", d);
      throw new AslError(timedOut.error(), null);
    }
    execution.checkDeadline(c);
    if (failure != null) {
      ObjectNode d = details(resource);
      d.put("error", failure.error());
      if (failure.errorCause() != null) {
        d.put("cause", failure.errorCause());
      }
      execution.event(c, "TaskFailed", d);
      throw failure;
    }
    ObjectNode ok = details(resource);
    ok.put("output", Asl.write(result));
    execution.event(c, "TaskSucceeded", ok);
    return data.afterResult(f, result);
  }

  private static ObjectNode details(TaskResource resource) {
    ObjectNode d = F.objectNode();
    d.put("resourceType", resource.type());
    d.put("resource", resource.name());
    return d;
  }

  /** TimeoutSeconds or HeartbeatSeconds; 0 when absent. A ...Path must give a positive integer. */
  private long seconds(FieldValue value, JsonNode effective, Frame f) {
    if (value instanceof FieldValue.Fixed fixed) {
      return fixed.value().asLong();
    }
    if (value instanceof FieldValue.FromPath p) {
      JsonNode v = data.read(p.path(), effective, f);
      if (!v.isIntegralNumber() || v.asLong() <= 0) {
        throw f.runtime(
            "The "
                + p.field()
                + "Path parameter does not reference a positive integer: "
                + Asl.write(v));
      }
      return v.asLong();
    }
    return 0;
  }

  /** The first limit the task exceeded and when, or {@code null} when it kept to both. */
  private record TimedOut(Instant at, String error) {}

  private static TimedOut timedOut(
      Instant start, Instant end, List<Instant> beats, long timeout, long heartbeat) {
    TimedOut first = null;
    if (heartbeat > 0) {
      Instant last = start;
      List<Instant> marks = new ArrayList<>(beats);
      marks.add(end);
      for (Instant m : marks) {
        if (Duration.between(last, m).getSeconds() >= heartbeat
            && m.isAfter(last.plusSeconds(heartbeat))) {
          first = new TimedOut(last.plusSeconds(heartbeat), Asl.HEARTBEAT_TIMEOUT);
          break;
        }
        last = m;
      }
    }
    if (timeout > 0 && end.isAfter(start.plusSeconds(timeout))) {
      Instant t = start.plusSeconds(timeout);
      if (first == null || t.isBefore(first.at())) {
        first = new TimedOut(t, Asl.TIMEOUT);
      }
    }
    return first;
  }

  /**
   * The task's result: a mocked response, else the handler's answer (wrapped for lambda:invoke).
   */
  private JsonNode dispatch(State.Task task, JsonNode params, Frame f, Runnable heartbeat) {
    Optional<MockConfig.Response> mocked = mocks.next(task.name());
    if (mocked.isPresent()) {
      return mocked.get().apply();
    }
    TaskResource resource = task.resource();
    Optional<TaskHandler> handler;
    String function = "";
    JsonNode payload = params;
    if (resource.lambdaInvoke()) {
      function = params.path("FunctionName").asText("");
      payload = params.has("Payload") ? params.get("Payload") : F.objectNode();
      handler = handlers.forFunction(function);
    } else if (resource.lambdaArn()) {
      function = resource.arn();
      handler = handlers.forFunction(function);
    } else {
      handler = handlers.forService(resource.arn());
    }
    if (handler.isEmpty()) {
      throw new AslError(
          Asl.RUNTIME,
          "No mocked response and no handler for Task state '"
              + task.name()
              + "' (resource "
              + resource.arn()
              + (function.isEmpty() || function.equals(resource.arn())
                  ? ""
                  : ", function " + function)
              + ")");
    }
    JsonNode out;
    try {
      out =
          handler
              .get()
              .handle(
                  new TaskRequest(
                      task.name(),
                      resource.arn(),
                      function,
                      payload.deepCopy(),
                      f.context(),
                      f.clock(),
                      heartbeat));
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
    return resource.lambdaInvoke() ? lambdaInvokeResult(out, f) : out;
  }

  /** What {@code lambda:invoke} returns: the Lambda Invoke API response around the payload. */
  private JsonNode lambdaInvokeResult(JsonNode payload, Frame f) {
    ObjectNode wrapped = F.objectNode();
    wrapped.put("ExecutedVersion", "$LATEST");
    wrapped.set("Payload", payload);
    ObjectNode meta = wrapped.putObject("SdkHttpMetadata");
    meta.putObject("AllHttpHeaders");
    meta.putObject("HttpHeaders");
    meta.put("HttpStatusCode", 200);
    wrapped.putObject("SdkResponseMetadata").put("RequestId", data.uuid(f.context()));
    wrapped.put("StatusCode", 200);
    return wrapped;
  }
}
