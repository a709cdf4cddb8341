package dev.cairn.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Executes a {@link StateMachine} (JSONPath query language, states-language.net) on a {@link
 * VirtualClock}. Tasks go to mocked responses first, then to registered {@link TaskHandlers}.
 *
 * <p>The definition was typed once by {@link StateMachine}; each {@link #execute} call is one
 * {@link Execution} that runs that model. Parallel branches and Map iterations run one after
 * another, each on its own fork of the clock; the parent clock then moves to the latest end, so
 * elapsed virtual time matches concurrent execution (Map iterations are scheduled into {@code
 * MaxConcurrency} slots).
 */
public final class AslExecutor {
  static final String REGION = "us-east-1";
  static final String ACCOUNT = "123456789012";

  private final Settings settings;

  private AslExecutor(Settings settings) {
    this.settings = settings;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** What every execution of this executor shares. */
  record Settings(
      TaskHandlers handlers,
      MockConfig.TaskMocks mocks,
      Random random,
      ExecutionListener listener) {}

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
      return new AslExecutor(new Settings(handlers, mocks, random, listener));
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
    settings.mocks().reset();
    return new Execution(machine, input, identity, clock, settings).run();
  }

  /**
   * Spec "Error names": whether the {@code ErrorEquals} array {@code errorEquals} matches {@code
   * error}.
   */
  static boolean errorMatches(JsonNode errorEquals, String error) {
    List<String> names = new ArrayList<>();
    errorEquals.forEach(e -> names.add(e.asText()));
    return new ErrorEquals(names).matches(error);
  }
}
