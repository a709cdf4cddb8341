package dev.cairn.local.emulators;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionRequest;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidExecutionInputException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.ListExecutionsRequest;
import software.amazon.awssdk.services.sfn.model.ListExecutionsResponse;
import software.amazon.awssdk.services.sfn.model.StartExecutionRequest;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.StopExecutionRequest;
import software.amazon.awssdk.services.sfn.model.StopExecutionResponse;

/**
 * An honest Step Functions (standard workflows) control API: {@code StartExecution}, {@code
 * StopExecution}, {@code DescribeExecution}, {@code ListExecutions}.
 *
 * <p><b>Name idempotency, per the StartExecution reference:</b> a name is unique per state machine.
 * Reusing it while the original execution is open with the <em>same</em> input returns the original
 * execution; with a different input, or once the original is closed, it gives {@code
 * ExecutionAlreadyExists} (400).
 *
 * <p><b>Runner:</b> a pluggable callback invoked once per new execution (so the local ASL executor
 * can run it). It returns the outcome: {@link Outcome#running()} leaves the execution {@code
 * RUNNING} until {@link #complete} or {@code StopExecution} ({@code ABORTED}). The default runner
 * leaves executions running.
 */
public final class SfnEmulator implements SfnClient {

  /** What the runner decided. */
  public record Outcome(ExecutionStatus status, String output, String error, String cause) {
    public static Outcome running() {
      return new Outcome(ExecutionStatus.RUNNING, null, null, null);
    }

    public static Outcome succeeded(String output) {
      return new Outcome(ExecutionStatus.SUCCEEDED, output, null, null);
    }

    public static Outcome failed(String error, String cause) {
      return new Outcome(ExecutionStatus.FAILED, null, error, cause);
    }
  }

  /** Runs a new execution. */
  @FunctionalInterface
  public interface Runner {
    Outcome start(String stateMachineArn, String executionArn, String name, String input);
  }

  private static final Pattern STATE_MACHINE_ARN =
      Pattern.compile("^arn:aws[a-z-]*:states:([a-z0-9-]+):(\\d{12}):stateMachine:([^:]+)$");
  private static final Pattern INVALID_NAME_CHARS =
      Pattern.compile("[\\s<>{}\\[\\]?*\"#%\\\\^|~`$&,;:/\\x00-\\x1f\\x7f-\\x9f]");
  private static final int MAX_INPUT = 256 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Clock clock;
  private final Set<String> stateMachines;
  private final EmulatorCalls calls = new EmulatorCalls();
  private final Map<String, EmulatedExecution> executions = new LinkedHashMap<>(); // by arn
  private volatile Runner runner = (sm, arn, name, input) -> Outcome.running();

  /** Accepts any well-formed state machine ARN. */
  public SfnEmulator(Clock clock) {
    this(clock, null);
  }

  /** Accepts only these state machines; others give {@code StateMachineDoesNotExist}. */
  public SfnEmulator(Clock clock, Set<String> stateMachineArns) {
    this.clock = clock;
    this.stateMachines = stateMachineArns == null ? null : Set.copyOf(stateMachineArns);
  }

  public SfnEmulator runner(Runner runner) {
    this.runner = runner;
    return this;
  }

  /** Closes a running execution with {@code outcome} (e.g. when the local executor finishes). */
  public synchronized void complete(String executionArn, Outcome outcome) {
    EmulatedExecution e = executions.get(executionArn);
    if (e == null) {
      throw new IllegalArgumentException("no execution " + executionArn);
    }
    e.apply(outcome, clock.instant());
  }

  public List<SdkRequest> requests() {
    return calls.requests();
  }

  public List<StartExecutionRequest> startExecutionRequests() {
    return calls.requests(StartExecutionRequest.class);
  }

  public Map<String, Integer> callCounts() {
    return calls.callCounts();
  }

  public void failNextCalls(String operation, int times, Supplier<? extends RuntimeException> f) {
    calls.failNext(operation, times, f);
  }

  @Override
  public StartExecutionResponse startExecution(StartExecutionRequest request) {
    EmulatedExecution e;
    boolean fresh;
    synchronized (this) {
      calls.record("StartExecution", request);
      Matcher m = stateMachine(request.stateMachineArn());
      String name = request.name() == null ? UUID.randomUUID().toString() : request.name();
      if (name.isEmpty() || name.length() > 80 || INVALID_NAME_CHARS.matcher(name).find()) {
        throw AwsErrors.<InvalidNameException>error(
            InvalidNameException.builder(),
            "SFN",
            "InvalidName",
            400,
            "Invalid Name: '" + name + "'");
      }
      String input = request.input() == null ? "{}" : request.input();
      if (input.getBytes(StandardCharsets.UTF_8).length > MAX_INPUT) {
        throw invalidInput("Input exceeds the maximum size of 262144 bytes.");
      }
      try {
        JSON.readTree(input);
      } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
        throw invalidInput(
            "Invalid State Machine Execution Input: '" + ex.getOriginalMessage() + "'");
      }
      String arn =
          "arn:aws:states:"
              + m.group(1)
              + ":"
              + m.group(2)
              + ":execution:"
              + m.group(3)
              + ":"
              + name;
      EmulatedExecution existing = executions.get(arn);
      if (existing != null) {
        if (existing.status == ExecutionStatus.RUNNING && existing.input.equals(input)) {
          return StartExecutionResponse.builder()
              .executionArn(arn)
              .startDate(existing.startDate)
              .build();
        }
        throw AwsErrors.<ExecutionAlreadyExistsException>error(
            ExecutionAlreadyExistsException.builder(),
            "SFN",
            "ExecutionAlreadyExists",
            400,
            "Execution Already Exists: '" + arn + "'");
      }
      e = new EmulatedExecution(arn, request.stateMachineArn(), name, input, clock.instant());
      executions.put(arn, e);
      fresh = true;
    }
    if (fresh) {
      // Outside the lock: the runner may call back into this client (e.g. DescribeExecution).
      Outcome outcome = runner.start(e.stateMachineArn, e.arn, e.name, e.input);
      synchronized (this) {
        if (e.status == ExecutionStatus.RUNNING) {
          e.apply(outcome, clock.instant());
        }
      }
    }
    return StartExecutionResponse.builder().executionArn(e.arn).startDate(e.startDate).build();
  }

  @Override
  public synchronized StopExecutionResponse stopExecution(StopExecutionRequest request) {
    calls.record("StopExecution", request);
    EmulatedExecution e = execution(request.executionArn());
    if (e.status == ExecutionStatus.RUNNING) {
      e.apply(
          new Outcome(ExecutionStatus.ABORTED, null, request.error(), request.cause()),
          clock.instant());
    }
    return StopExecutionResponse.builder().stopDate(e.stopDate).build();
  }

  @Override
  public synchronized DescribeExecutionResponse describeExecution(
      DescribeExecutionRequest request) {
    calls.record("DescribeExecution", request);
    EmulatedExecution e = execution(request.executionArn());
    return DescribeExecutionResponse.builder()
        .executionArn(e.arn)
        .stateMachineArn(e.stateMachineArn)
        .name(e.name)
        .status(e.status)
        .startDate(e.startDate)
        .stopDate(e.stopDate)
        .input(e.input)
        .output(e.output)
        .error(e.error)
        .cause(e.cause)
        .build();
  }

  @Override
  public synchronized ListExecutionsResponse listExecutions(ListExecutionsRequest request) {
    calls.record("ListExecutions", request);
    stateMachine(request.stateMachineArn());
    List<ExecutionListItem> out = new ArrayList<>();
    for (EmulatedExecution e : executions.values()) {
      if (!e.stateMachineArn.equals(request.stateMachineArn())) {
        continue;
      }
      if (request.statusFilter() != null && request.statusFilter() != e.status) {
        continue;
      }
      out.add(
          0, // newest first
          ExecutionListItem.builder()
              .executionArn(e.arn)
              .stateMachineArn(e.stateMachineArn)
              .name(e.name)
              .status(e.status)
              .startDate(e.startDate)
              .stopDate(e.stopDate)
              .build());
    }
    return ListExecutionsResponse.builder().executions(out).build();
  }

  private Matcher stateMachine(String arn) {
    Matcher m = arn == null ? null : STATE_MACHINE_ARN.matcher(arn);
    if (m == null || !m.matches()) {
      throw AwsErrors.<InvalidArnException>error(
          InvalidArnException.builder(), "SFN", "InvalidArn", 400, "Invalid Arn: '" + arn + "'");
    }
    if (stateMachines != null && !stateMachines.contains(arn)) {
      throw AwsErrors.<StateMachineDoesNotExistException>error(
          StateMachineDoesNotExistException.builder(),
          "SFN",
          "StateMachineDoesNotExist",
          400,
          "State Machine Does Not Exist: '" + arn + "'");
    }
    return m;
  }

  private EmulatedExecution execution(String arn) {
    EmulatedExecution e = arn == null ? null : executions.get(arn);
    if (e == null) {
      throw AwsErrors.<ExecutionDoesNotExistException>error(
          ExecutionDoesNotExistException.builder(),
          "SFN",
          "ExecutionDoesNotExist",
          400,
          "Execution Does Not Exist: '" + arn + "'");
    }
    return e;
  }

  private static InvalidExecutionInputException invalidInput(String message) {
    return AwsErrors.error(
        InvalidExecutionInputException.builder(), "SFN", "InvalidExecutionInput", 400, message);
  }

  @Override
  public String serviceName() {
    return SERVICE_NAME;
  }

  @Override
  public void close() {}

  private static final class EmulatedExecution {
    final String arn;
    final String stateMachineArn;
    final String name;
    final String input;
    final Instant startDate;
    ExecutionStatus status = ExecutionStatus.RUNNING;
    Instant stopDate;
    String output;
    String error;
    String cause;

    EmulatedExecution(
        String arn, String stateMachineArn, String name, String input, Instant start) {
      this.arn = arn;
      this.stateMachineArn = stateMachineArn;
      this.name = name;
      this.input = input;
      this.startDate = start;
    }

    void apply(Outcome o, Instant now) {
      if (o == null || o.status() == ExecutionStatus.RUNNING) {
        return;
      }
      status = o.status();
      output = o.output();
      error = o.error();
      cause = o.cause();
      stopDate = now;
    }
  }
}
